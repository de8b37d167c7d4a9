// The DuckDB side of Tessera's benchmark (run by scripts/run-bench.sh).
//
// Loads the table with the SQL tessera-bench wrote (--sql-out), so DuckDB holds exactly the same
// rows, then runs the same queries (--queries-out) several times per thread count, in a fresh
// in-memory database per thread count, and prints the same `bench,...` lines as tessera-bench
// with the engine name as a sixth field.
//
//   node bench/duckdb_bench.mjs --sql FILE --queries FILE --rows N [--threads 1,2] [--runs 5]
//                               [--check-dir DIR]
//
// @duckdb/node-api is installed in bench/node (npm ci there).

import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(new URL('./node/', import.meta.url));
const { DuckDBInstance } = require('@duckdb/node-api');

/** Parses `--name value` pairs into an object. */
function parseArgs(argv) {
  const options = { threads: '1,2', runs: '5' };
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length) {
      throw new Error(`bad argument ${argv[i]}`);
    }
    options[argv[i].slice(2).replace(/-/g, '_')] = argv[i + 1];
  }
  for (const required of ['sql', 'queries', 'rows']) {
    if (!options[required]) throw new Error(`--${required} is required`);
  }
  return options;
}

/** Milliseconds since `start` (a process.hrtime.bigint()). */
function elapsedMs(start) {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** The median of a non-empty list. */
function median(values) {
  const sorted = [...values].sort((x, y) => x - y);
  const n = sorted.length;
  return n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/** The canonical text of a result: rows as `v1|v2|...`, sorted bytewise, one per line. */
function canonical(rows) {
  const lines = rows.map((row) => row.map((v) => (v === null ? 'NULL' : String(v))).join('|'));
  lines.sort((x, y) => (Buffer.from(x) < Buffer.from(y) ? -1 : Buffer.from(x) > Buffer.from(y) ? 1 : 0));
  return lines.map((line) => line + '\n').join('');
}

const rowsPerSecond = (rows, ms) => (ms > 0 ? Math.round((rows * 1000) / ms) : 0);
const pad = (text, width) => String(text).padStart(width);

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const rows = Number(options.rows);
  const runs = Number(options.runs);
  const threadCounts = options.threads.split(',').map(Number);
  const statements = readFileSync(options.sql, 'utf8').split(';\n').map((s) => s.trim()).filter((s) => s);
  const queries = readFileSync(options.queries, 'utf8')
    .split('\n')
    .filter((line) => line)
    .map((line) => {
      const [name, sql] = line.split('\t');
      return { name, sql };
    });

  const lines = [];
  console.log(`DuckDB benchmark: ${rows} rows, each query run ${runs} times`);
  for (const threads of threadCounts) {
    const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
    const connection = await instance.connect();
    const setting = (await connection.runAndReadAll("SELECT current_setting('threads')")).getRows()[0][0];
    console.log(`\n== ${threads} thread${threads === 1 ? '' : 's'} (DuckDB threads setting: ${setting})`);

    const loadStart = process.hrtime.bigint();
    for (const sql of statements) await connection.run(sql);
    const loadMs = elapsedMs(loadStart);
    const count = (await connection.runAndReadAll('SELECT count(*) FROM t')).getRows()[0][0];
    if (Number(count) !== rows) throw new Error(`loaded table has ${count} rows, expected ${rows}`);
    console.log(`  load: ${loadMs.toFixed(1)} ms, ${rowsPerSecond(rows, loadMs)} rows/s`);
    lines.push(`bench,load,${threads},${loadMs.toFixed(3)},${rowsPerSecond(rows, loadMs)},duckdb`);

    for (const query of queries) {
      const times = [];
      let result = null;
      for (let run = 0; run < runs; ++run) {
        const start = process.hrtime.bigint();
        const reader = await connection.runAndReadAll(query.sql);
        times.push(elapsedMs(start));
        const text = canonical(reader.getRows());
        if (result === null) result = text;
        else if (text !== result) console.log(`  WARNING: ${query.name} returned a different result on run ${run + 1}`);
      }
      const best = Math.min(...times);
      console.log(
        `  ${query.name.padEnd(13)} best ${pad(best.toFixed(1), 9)} ms  median ${pad(median(times).toFixed(1), 9)} ms` +
          `  ${pad(rowsPerSecond(rows, best), 14)} rows/s`,
      );
      lines.push(`bench,${query.name},${threads},${best.toFixed(3)},${rowsPerSecond(rows, best)},duckdb`);
      if (options.check_dir) {
        mkdirSync(options.check_dir, { recursive: true });
        writeFileSync(join(options.check_dir, `duckdb-${query.name}-t${threads}.txt`), result);
      }
    }
    connection.closeSync();
  }
  console.log('');
  for (const line of lines) console.log(line);
}

main().catch((error) => {
  console.error(`duckdb_bench: ${error.message}`);
  process.exit(1);
});
