// The DuckDB side of the TPC-H benchmark (run by scripts/tpch-bench.sh).
//
// Creates the eight tables of the TPC-H schema in a fresh in-memory database, loads the
// '|'-separated files Tessera's generator produced (so DuckDB holds exactly the same rows), then
// runs each query several times and prints one `tpch,NAME,BEST_MS,MEDIAN_MS,duckdb` line per
// query.
//
//   node bench/tpch_duckdb.mjs --schema FILE --data DIR --queries DIR [--threads 2] [--runs 3]
//
// @duckdb/node-api is installed in bench/node (npm ci there).

import { createRequire } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const require = createRequire(new URL('./node/', import.meta.url));
const { DuckDBInstance } = require('@duckdb/node-api');

/** Parses `--name value` pairs into an object. */
function parseArgs(argv) {
  const options = { threads: '2', runs: '3' };
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length) throw new Error(`bad argument ${argv[i]}`);
    options[argv[i].slice(2)] = argv[i + 1];
  }
  for (const required of ['schema', 'data', 'queries']) {
    if (!options[required]) throw new Error(`--${required} is required`);
  }
  return options;
}

const elapsedMs = (start) => Number(process.hrtime.bigint() - start) / 1e6;

function median(values) {
  const sorted = [...values].sort((x, y) => x - y);
  const n = sorted.length;
  return n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const runs = Number(options.runs);
  const instance = await DuckDBInstance.create(':memory:', { threads: options.threads });
  const connection = await instance.connect();
  const setting = (await connection.runAndReadAll("SELECT current_setting('threads')")).getRows()[0][0];
  console.log(`DuckDB: threads = ${setting}, best and median of ${runs} runs per query`);

  // The schema as written (comments dropped), then the generated rows.
  const schema = readFileSync(options.schema, 'utf8').replace(/--[^\n]*/g, '');
  for (const statement of schema.split(';').map((s) => s.trim()).filter((s) => s)) await connection.run(statement);
  const loadStart = process.hrtime.bigint();
  for (const table of ['region', 'nation', 'part', 'supplier', 'partsupp', 'customer', 'orders', 'lineitem']) {
    const file = join(options.data, `${table}.tbl`).replace(/'/g, "''");
    await connection.run(`COPY ${table} FROM '${file}' (DELIMITER '|', HEADER false, QUOTE '')`);
  }
  // CHAR(n) values arrive blank-padded (PostgreSQL's output); DuckDB's CHAR is VARCHAR, where
  // the blanks would count, so they are trimmed as PostgreSQL's comparisons ignore them.
  let table = null;
  for (const line of schema.split('\n')) {
    const create = /CREATE\s+TABLE\s+(\w+)/i.exec(line);
    if (create) table = create[1];
    const column = /^\s*(\w+)\s+CHAR\s*\(/i.exec(line);
    if (table && column) await connection.run(`UPDATE ${table} SET ${column[1]} = rtrim(${column[1]})`);
  }
  console.log(`  load from files: ${elapsedMs(loadStart).toFixed(0)} ms`);

  const files = readdirSync(options.queries).filter((f) => /^q\d+\.sql$/.test(f)).sort();
  const lines = [];
  for (const file of files) {
    const name = basename(file, '.sql');
    const sql = readFileSync(join(options.queries, file), 'utf8');
    const times = [];
    let rows = 0;
    for (let run = 0; run < runs; ++run) {
      const start = process.hrtime.bigint();
      rows = (await connection.runAndReadAll(sql)).getRows().length;
      times.push(elapsedMs(start));
    }
    const best = Math.min(...times);
    console.log(`  ${name}: best ${best.toFixed(1)} ms, median ${median(times).toFixed(1)} ms, ${rows} rows`);
    lines.push(`tpch,${name},${best.toFixed(3)},${median(times).toFixed(3)},duckdb`);
  }
  connection.closeSync();
  for (const line of lines) console.log(line);
}

main().catch((error) => {
  console.error(`tpch_duckdb: ${error.message}`);
  process.exit(1);
});
