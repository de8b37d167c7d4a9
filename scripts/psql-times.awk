# Best and median (ms) of the `query NAME` / `Time: X ms` lines a psql script with
# `\echo query NAME` markers and `\timing on` printed, as `NAME best median` lines, in the order
# the queries first appear. Used by scripts/run-bench.sh and scripts/tpch-bench.sh.
/^query / { q = $2; if (!(q in seen)) { seen[q] = 1; order[++n] = q } }
/^Time: / { t[q, ++c[q]] = $2 }
END {
  for (i = 1; i <= n; i++) {
    q = order[i]; m = c[q]
    for (j = 1; j <= m; j++) v[j] = t[q, j]
    for (j = 2; j <= m; j++) { x = v[j]; k = j - 1; while (k >= 1 && v[k] > x) { v[k + 1] = v[k]; k-- } v[k + 1] = x }
    med = (m % 2) ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
    printf "%s %.3f %.3f\n", q, v[1], med
  }
}
