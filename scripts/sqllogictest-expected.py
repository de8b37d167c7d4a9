#!/usr/bin/python3
"""Fills in the expected results of a sqllogictest file from PostgreSQL 15.

Usage: scripts/sqllogictest-expected.py FILE [--port 54329] [--dbname tessera] [--in-place]

Every record runs, in order, in one psql session against the test cluster
(scripts/pg-test-cluster.sh). The results of each `query` record are rendered as the runner
compares them (one value per line; I: integer, R: %.3f, T: text, (empty), NULL; rowsort and
valuesort sorted) and replace whatever the record held. A `statement ok` that fails or a
`statement error` that succeeds is reported on stderr and makes the exit status 1, as does a
`query` that fails. Records skipped for postgresql (skipif postgresql / onlyif other) are
copied unchanged and not run.
"""
import argparse
import subprocess
import sys

MARK = "@@record@@"


def parse_records(lines):
    """Splits a file into blocks of lines separated by blank lines (comments stay in blocks)."""
    blocks, current = [], []
    for line in lines:
        if line.strip() == "":
            if current:
                blocks.append(current)
                current = []
            blocks.append(None)  # a blank line
        else:
            current.append(line)
    if current:
        blocks.append(current)
    return blocks


def record_kind(block):
    """(kind, header line index, conditions) of a block: kind is statement/query/other."""
    conditions = []
    for i, line in enumerate(block):
        word = line.split()[0] if line.split() else ""
        if word in ("skipif", "onlyif"):
            conditions.append(line.split())
            continue
        if line.startswith("#"):
            continue
        if word in ("statement", "query"):
            return word, i, conditions
        return "other", i, conditions
    return "other", None, conditions


def runs_on_postgresql(conditions):
    for c in conditions:
        if len(c) < 2:
            continue
        if c[0] == "skipif" and c[1] == "postgresql":
            return False
        if c[0] == "onlyif" and c[1] != "postgresql":
            return False
    return True


def sql_of(block, header):
    body = []
    for line in block[header + 1:]:
        if line.rstrip() == "----":
            break
        body.append(line)
    return "\n".join(body)


def render(value, letter):
    if value == "NULL":
        return "NULL"
    if letter == "I":
        if value in ("t", "f"):
            return "1" if value == "t" else "0"
        try:
            return str(int(value))  # exact, also beyond 2^53
        except ValueError:
            pass
        try:
            return str(int(float(value)))
        except ValueError:
            return "0"
    if letter == "R":
        try:
            return "%.3f" % float(value)
        except ValueError:
            return "0.000"
    if value == "":
        return "(empty)"
    return "".join(ch if 0x20 <= ord(ch) <= 0x7E else "@" for ch in value)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--port", default="54329")
    parser.add_argument("--dbname", default="tessera")
    parser.add_argument("--in-place", action="store_true")
    args = parser.parse_args()
    with open(args.file) as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    blocks = parse_records(lines)

    # A scratch schema, so that objects of earlier runs never interfere.
    script = ["\\set VERBOSITY terse", "DROP SCHEMA IF EXISTS slt_expected CASCADE;", "CREATE SCHEMA slt_expected;",
              "SET search_path = slt_expected;"]
    runnable = {}
    for n, block in enumerate(blocks):
        if block is None:
            continue
        kind, header, conditions = record_kind(block)
        if kind == "other" or not runs_on_postgresql(conditions):
            continue
        sql = sql_of(block, header).rstrip().rstrip(";")
        runnable[n] = (kind, header)
        script.append("\\echo " + MARK + " " + str(n))
        script.append(sql + ";")
        script.append("\\echo " + MARK + " status :ERROR")
    script.append("RESET search_path;")
    script.append("DROP SCHEMA slt_expected CASCADE;")
    proc = subprocess.run(
        ["psql", "-X", "-q", "-A", "-t", "-F", "\x1f", "-P", "null=NULL", "-h", "127.0.0.1", "-p", args.port, "-U", "tessera",
         args.dbname],
        input="\n".join(script) + "\n", capture_output=True, text=True)
    outputs, current, rows = {}, None, []
    for line in proc.stdout.split("\n"):
        if line.startswith(MARK + " status "):
            outputs[current] = (rows, line.split()[-1] == "true")
            current, rows = None, []
        elif line.startswith(MARK + " "):
            current, rows = int(line.split()[1]), []
        elif current is not None:
            rows.append(line)

    failed = False
    out = []
    for n, block in enumerate(blocks):
        if block is None:
            out.append("")
            continue
        if n not in runnable:
            out.extend(block)
            continue
        kind, header = runnable[n]
        rows, error = outputs.get(n, ([], True))
        words = block[header].split()
        first_sql = " ".join(block[header + 1:header + 2])[:70]
        if kind == "statement":
            expect_error = len(words) > 1 and words[1] == "error"
            if error != expect_error:
                print("%s: record at '%s': statement %s on PostgreSQL" % (args.file, first_sql, "failed" if error else "succeeded"),
                      file=sys.stderr)
                failed = True
            out.extend(block)
            continue
        if error:
            print("%s: query failed on PostgreSQL: %s" % (args.file, first_sql), file=sys.stderr)
            failed = True
            out.extend(block)
            continue
        letters = words[1] if len(words) > 1 else ""
        sort = words[2] if len(words) > 2 else "nosort"
        rendered = []
        for row in rows:
            if row == "" and len(letters) != 1:
                continue
            fields = row.split("\x1f")
            if len(fields) != len(letters):
                print("%s: %s: %d columns, types '%s'" % (args.file, first_sql, len(fields), letters), file=sys.stderr)
                failed = True
                break
            rendered.append([render(v, letters[i]) for i, v in enumerate(fields)])
        if sort == "rowsort":
            rendered.sort()
        values = [v for r in rendered for v in r]
        if sort == "valuesort":
            values.sort()
        head = block[:header + 1]
        body = []
        for line in block[header + 1:]:
            if line.rstrip() == "----":
                break
            body.append(line)
        out.extend(head + body)
        if values:
            out.append("----")
            out.extend(values)
    text = "\n".join(out) + "\n"
    if args.in_place:
        with open(args.file, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
