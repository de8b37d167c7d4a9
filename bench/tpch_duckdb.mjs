// The DuckDB side of the TPC-H benchmark (run by scripts/tpch-bench.sh).
//
// Creates the eight tables of the TPC-H schema in a fresh database file (DIR/tpch.duckdb), loads
// the '|'-separated files Tessera's generator produced (so DuckDB holds exactly the same rows;
// the COPY of lineitem is timed alone), CHECKPOINTs and reports the file's size, the blocks
// lineitem's segments use and lineitem's compression per column (pragma_storage_info), runs
// each query several times (hot), then closes the database, opens the file again and runs each
// query once, in order (cold: blocks are read on first use, so a later query finds what an
// earlier one read). With --csv, the same lineitem rows are then loaded from that CSV file into
// a new table (timed alone). Prints one `tpch,NAME,BEST_MS,MEDIAN_MS,duckdb` line per query,
// one `tpch_cold,NAME,MS,duckdb` line per query and `fact,NAME,VALUE,duckdb` lines
// (copy_text_ms, copy_csv_ms, lineitem_rows, db_bytes, lineitem_bytes).
//
//   node bench/tpch_duckdb.mjs --schema FILE --data DIR --queries DIR --db-dir DIR [--csv FILE]
//                              [--threads 2] [--runs 3]
//
// @duckdb/node-api is installed in bench/node (npm ci there).

import { createRequire } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
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
  for (const required of ['schema', 'data', 'queries', 'db-dir']) {
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

const sqlString = (text) => `'${text.replace(/'/g, "''")}'`;

/** Runs each query file of `files` `runs` times; returns [name, times, rows] per query. */
async function runQueries(connection, options, files, runs) {
  const results = [];
  for (const file of files) {
    const sql = readFileSync(join(options.queries, file), 'utf8');
    const times = [];
    let rows = 0;
    for (let run = 0; run < runs; ++run) {
      const start = process.hrtime.bigint();
      rows = (await connection.runAndReadAll(sql)).getRows().length;
      times.push(elapsedMs(start));
    }
    results.push([basename(file, '.sql'), times, rows]);
  }
  return results;
}

/** Prints lineitem's compression per column: each segment compression with its share of rows. */
async function printCompression(connection) {
  const rows = (await connection.runAndReadAll(
    `SELECT column_id, column_name, compression, sum(count)::BIGINT, count(*)::BIGINT
       FROM pragma_storage_info('lineitem') WHERE segment_type <> 'VALIDITY'
      GROUP BY ALL ORDER BY column_id, 4 DESC`)).getRows();
  const columns = new Map();
  for (const [id, name, compression, count, segments] of rows) {
    if (!columns.has(id)) columns.set(id, { name, total: 0, parts: [] });
    const column = columns.get(id);
    column.total += Number(count);
    column.parts.push([compression, Number(count), Number(segments)]);
  }
  console.log('  lineitem compression per column (segment compression: share of rows, segments):');
  for (const { name, total, parts } of columns.values()) {
    const text = parts.map(([c, n, k]) => `${c} ${((100 * n) / total).toFixed(0)}% (${k})`).join(', ');
    console.log(`    ${name.padEnd(16)} ${text}`);
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const runs = Number(options.runs);
  const path = join(options['db-dir'], 'tpch.duckdb');
  let instance = await DuckDBInstance.create(path, { threads: options.threads });
  let connection = await instance.connect();
  const setting = (await connection.runAndReadAll("SELECT current_setting('threads')")).getRows()[0][0];
  console.log(`DuckDB: threads = ${setting}, database file ${path}, best and median of ${runs} runs per query`);
  const facts = [];
  const fact = (name, value) => facts.push(`fact,${name},${value},duckdb`);

  // The schema as written (comments dropped), then the generated rows.
  const schema = readFileSync(options.schema, 'utf8').replace(/--[^\n]*/g, '');
  for (const statement of schema.split(';').map((s) => s.trim()).filter((s) => s)) await connection.run(statement);
  const loadStart = process.hrtime.bigint();
  for (const table of ['region', 'nation', 'part', 'supplier', 'partsupp', 'customer', 'orders', 'lineitem']) {
    const file = join(options.data, `${table}.tbl`);
    const start = process.hrtime.bigint();
    await connection.run(`COPY ${table} FROM ${sqlString(file)} (DELIMITER '|', HEADER false, QUOTE '')`);
    if (table === 'lineitem') fact('copy_text_ms', elapsedMs(start).toFixed(1));
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
  await connection.run('CHECKPOINT');
  console.log(`  load from files, CHAR trimming and CHECKPOINT: ${elapsedMs(loadStart).toFixed(0)} ms`);

  // Sizes: the file after the checkpoint, and the distinct blocks lineitem's segments are in.
  const lineitemRows = (await connection.runAndReadAll('SELECT count(*)::BIGINT FROM lineitem')).getRows()[0][0];
  fact('lineitem_rows', lineitemRows);
  fact('db_bytes', statSync(path).size);
  const blockSize = (await connection.runAndReadAll('SELECT block_size FROM pragma_database_size()')).getRows()[0][0];
  const blocks = (await connection.runAndReadAll(
    "SELECT count(DISTINCT block_id)::BIGINT FROM pragma_storage_info('lineitem') WHERE block_id >= 0")).getRows()[0][0];
  fact('lineitem_bytes', Number(blocks) * Number(blockSize));
  console.log(`  file ${statSync(path).size} bytes; lineitem in ${blocks} blocks of ${blockSize} bytes`);
  await printCompression(connection);

  const files = readdirSync(options.queries).filter((f) => /^q\d+\.sql$/.test(f)).sort();
  const lines = [];
  for (const [name, times, rows] of await runQueries(connection, options, files, runs)) {
    const best = Math.min(...times);
    console.log(`  ${name}: best ${best.toFixed(1)} ms, median ${median(times).toFixed(1)} ms, ${rows} rows`);
    lines.push(`tpch,${name},${best.toFixed(3)},${median(times).toFixed(3)},duckdb`);
  }

  // Cold: the database opened again from its file, each query once.
  connection.closeSync();
  instance.closeSync();
  const openStart = process.hrtime.bigint();
  instance = await DuckDBInstance.create(path, { threads: options.threads });
  connection = await instance.connect();
  console.log(`  reopened the database file: ${elapsedMs(openStart).toFixed(0)} ms`);
  for (const [name, times] of await runQueries(connection, options, files, 1)) {
    console.log(`  ${name} cold: ${times[0].toFixed(1)} ms`);
    lines.push(`tpch_cold,${name},${times[0].toFixed(3)},duckdb`);
  }

  if (options.csv) {
    await connection.run('CREATE TABLE lineitem_csv AS SELECT * FROM lineitem LIMIT 0');
    const start = process.hrtime.bigint();
    await connection.run(`COPY lineitem_csv FROM ${sqlString(options.csv)} (FORMAT csv, HEADER false)`);
    fact('copy_csv_ms', elapsedMs(start).toFixed(1));
    await connection.run('DROP TABLE lineitem_csv');
  }
  connection.closeSync();
  instance.closeSync();
  for (const line of [...lines, ...facts]) console.log(line);
}

main().catch((error) => {
  console.error(`tpch_duckdb: ${error.message}`);
  process.exit(1);
});
