// The TPC-H data generator (specification clause 4.2). Values come from a counter-based random
// stream per (table column, row), so any range of rows is produced independently.

#include "executor/functions/tpch/dbgen.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "src/common/datetime.h"
#include "src/common/numeric.h"
#include "src/common/string_t.h"

namespace tessera::executor::tpch {

namespace {

// ---- random streams --------------------------------------------------------------------------

uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// The random value of `stream` for `row` (and `sub`, e.g. a line item number).
uint64_t random_bits(uint64_t stream, uint64_t row, uint64_t sub = 0) {
  return mix(mix(stream * 0x100000001b3ULL + sub) ^ row);
}

/// Uniform in [low, high].
int64_t uniform(uint64_t stream, uint64_t row, int64_t low, int64_t high, uint64_t sub = 0) {
  const uint64_t span = static_cast<uint64_t>(high - low) + 1;
  return low + static_cast<int64_t>(random_bits(stream, row, sub) % span);
}

// One stream per generated column (values are arbitrary, distinct). party_columns() relies on
// the order address, nation, phone, balance of the supplier and customer streams.
enum Stream : uint64_t {
  kRegionComment = 1, kNationComment,
  kPartName, kPartMfgr, kPartBrand, kPartType, kPartSize, kPartContainer, kPartComment,
  kSuppAddress, kSuppNation, kSuppPhone, kSuppBalance, kSuppComment, kSuppComplaints, kSuppRecommends,
  kPsQuantity, kPsCost, kPsComment,
  kCustAddress, kCustNation, kCustPhone, kCustBalance, kCustSegment, kCustComment,
  kOrderCustomer, kOrderDate, kOrderPriority, kOrderClerk, kOrderComment, kOrderLines,
  kLinePart, kLineSupplier, kLineQuantity, kLineDiscount, kLineTax, kLineShip, kLineCommit, kLineReceipt,
  kLineReturn, kLineInstruct, kLineMode, kLineComment,
  kTextPool,
};

// ---- the specification's lists ---------------------------------------------------------------

constexpr std::array<const char*, 5> kRegions = {"AFRICA", "AMERICA", "ASIA", "EUROPE", "MIDDLE EAST"};

struct Nation {
  const char* name;
  int region;
};
constexpr std::array<Nation, 25> kNations = {{
    {"ALGERIA", 0},      {"ARGENTINA", 1}, {"BRAZIL", 1},  {"CANADA", 1},     {"EGYPT", 4},
    {"ETHIOPIA", 0},     {"FRANCE", 3},    {"GERMANY", 3}, {"INDIA", 2},      {"INDONESIA", 2},
    {"IRAN", 4},         {"IRAQ", 4},      {"JAPAN", 2},   {"JORDAN", 4},     {"KENYA", 0},
    {"MOROCCO", 0},      {"MOZAMBIQUE", 0}, {"PERU", 1},   {"CHINA", 2},      {"ROMANIA", 3},
    {"SAUDI ARABIA", 4}, {"VIETNAM", 2},   {"RUSSIA", 3},  {"UNITED KINGDOM", 3}, {"UNITED STATES", 1},
}};

constexpr std::array<const char*, 92> kColors = {
    "almond",    "antique",   "aquamarine", "azure",     "beige",    "bisque",    "black",     "blanched",
    "blue",      "blush",     "brown",      "burlywood", "burnished", "chartreuse", "chiffon",  "chocolate",
    "coral",     "cornflower", "cornsilk",  "cream",     "cyan",     "dark",      "deep",      "dim",
    "dodger",    "drab",      "firebrick",  "floral",    "forest",   "frosted",   "gainsboro", "ghost",
    "goldenrod", "green",     "grey",       "honeydew",  "hot",      "indian",    "ivory",     "khaki",
    "lace",      "lavender",  "lawn",       "lemon",     "light",    "lime",      "linen",     "magenta",
    "maroon",    "medium",    "metallic",   "midnight",  "mint",     "misty",     "moccasin",  "navajo",
    "navy",      "olive",     "orange",     "orchid",    "pale",     "papaya",    "peach",     "peru",
    "pink",      "plum",      "powder",     "puff",      "purple",   "red",       "rose",      "rosy",
    "royal",     "saddle",    "salmon",     "sandy",     "seashell", "sienna",    "sky",       "slate",
    "smoke",     "snow",      "spring",     "steel",     "tan",      "thistle",   "tomato",    "turquoise",
    "violet",    "wheat",     "white",      "yellow",
};

constexpr std::array<const char*, 6> kTypeSize = {"STANDARD", "SMALL", "MEDIUM", "LARGE", "ECONOMY", "PROMO"};
constexpr std::array<const char*, 5> kTypeFinish = {"ANODIZED", "BURNISHED", "PLATED", "POLISHED", "BRUSHED"};
constexpr std::array<const char*, 5> kTypeMaterial = {"TIN", "NICKEL", "BRASS", "STEEL", "COPPER"};
constexpr std::array<const char*, 5> kContainerSize = {"SM", "LG", "MED", "JUMBO", "WRAP"};
constexpr std::array<const char*, 8> kContainerKind = {"CASE", "BOX", "BAG", "JAR", "PKG", "PACK", "CAN", "DRUM"};
constexpr std::array<const char*, 5> kSegments = {"AUTOMOBILE", "BUILDING", "FURNITURE", "MACHINERY", "HOUSEHOLD"};
constexpr std::array<const char*, 5> kPriorities = {"1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW"};
constexpr std::array<const char*, 4> kInstructions = {"DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN"};
constexpr std::array<const char*, 7> kShipModes = {"REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB"};

// The text grammar's words with their weights (clause 4.2.2.13).
struct Word {
  const char* text;
  int weight;
};
constexpr Word kNouns[] = {
    {"packages", 40}, {"requests", 40}, {"accounts", 40}, {"deposits", 40}, {"foxes", 20}, {"ideas", 20},
    {"theodolites", 20}, {"pinto beans", 20}, {"instructions", 20}, {"dependencies", 10}, {"excuses", 10},
    {"platelets", 10}, {"asymptotes", 10}, {"courts", 5}, {"dolphins", 5}, {"multipliers", 1}, {"sauternes", 1},
    {"warthogs", 1}, {"frets", 1}, {"dinos", 1}, {"attainments", 1}, {"somas", 1}, {"Tiresias", 1},
    {"patterns", 1}, {"forges", 1}, {"braids", 1}, {"frays", 1}, {"warhorses", 1}, {"dugouts", 1},
    {"notornis", 1}, {"epitaphs", 1}, {"pearls", 1}, {"tithes", 1}, {"waters", 1}, {"orbits", 1}, {"gifts", 1},
    {"sheaves", 1}, {"depths", 1}, {"sentiments", 1}, {"decoys", 1}, {"realms", 1}, {"pains", 1},
    {"grouches", 1}, {"escapades", 1}, {"hockey players", 1},
};
constexpr Word kVerbs[] = {
    {"sleep", 20}, {"wake", 20}, {"are", 20}, {"cajole", 20}, {"haggle", 20}, {"nag", 10}, {"use", 10},
    {"boost", 10}, {"affix", 5}, {"detect", 5}, {"integrate", 5}, {"maintain", 1}, {"nod", 1}, {"was", 1},
    {"lose", 1}, {"sublate", 1}, {"solve", 1}, {"thrash", 1}, {"promise", 1}, {"engage", 1}, {"hinder", 1},
    {"print", 1}, {"x-ray", 1}, {"breach", 1}, {"eat", 1}, {"grow", 1}, {"impress", 1}, {"mold", 1},
    {"poach", 1}, {"serve", 1}, {"run", 1}, {"dazzle", 1}, {"snooze", 1}, {"doze", 1}, {"unwind", 1},
    {"kindle", 1}, {"play", 1}, {"hang", 1}, {"believe", 1}, {"doubt", 1},
};
constexpr Word kAdjectives[] = {
    {"special", 20}, {"pending", 20}, {"unusual", 20}, {"express", 20}, {"furious", 1}, {"sly", 1},
    {"careful", 1}, {"blithe", 1}, {"quick", 1}, {"fluffy", 1}, {"slow", 1}, {"quiet", 1}, {"ruthless", 1},
    {"thin", 1}, {"close", 1}, {"dogged", 1}, {"daring", 1}, {"brave", 1}, {"stealthy", 1}, {"permanent", 1},
    {"enticing", 1}, {"idle", 1}, {"busy", 1}, {"regular", 50}, {"final", 40}, {"ironic", 40}, {"even", 30},
    {"bold", 20}, {"silent", 10},
};
constexpr Word kAdverbs[] = {
    {"sometimes", 1}, {"always", 1}, {"never", 1}, {"furiously", 50}, {"slyly", 50}, {"carefully", 50},
    {"blithely", 40}, {"quickly", 30}, {"fluffily", 20}, {"slowly", 1}, {"quietly", 1}, {"ruthlessly", 1},
    {"thinly", 1}, {"closely", 1}, {"doggedly", 1}, {"daringly", 1}, {"bravely", 1}, {"stealthily", 1},
    {"permanently", 1}, {"enticingly", 1}, {"idly", 1}, {"busily", 1}, {"regularly", 1}, {"finally", 1},
    {"ironically", 1}, {"evenly", 1}, {"boldly", 1}, {"silently", 1},
};
constexpr Word kPrepositions[] = {
    {"about", 50}, {"above", 50}, {"according to", 50}, {"across", 50}, {"after", 50}, {"against", 40},
    {"along", 40}, {"alongside of", 30}, {"among", 30}, {"around", 20}, {"at", 10}, {"atop", 1}, {"before", 1},
    {"behind", 1}, {"beneath", 1}, {"beside", 1}, {"besides", 1}, {"between", 1}, {"beyond", 1}, {"by", 1},
    {"despite", 1}, {"during", 1}, {"except", 1}, {"for", 1}, {"from", 1}, {"in place of", 1}, {"inside", 1},
    {"instead of", 1}, {"into", 1}, {"near", 1}, {"of", 1}, {"on", 1}, {"outside", 1}, {"over", 1}, {"past", 1},
    {"since", 1}, {"through", 1}, {"throughout", 1}, {"to", 1}, {"toward", 1}, {"under", 1}, {"until", 1},
    {"up", 1}, {"upon", 1}, {"without", 1}, {"with", 1}, {"within", 1},
};
constexpr Word kAuxiliaries[] = {
    {"do", 1}, {"may", 1}, {"might", 1}, {"shall", 1}, {"will", 1}, {"would", 1}, {"can", 1}, {"could", 1},
    {"should", 1}, {"ought to", 1}, {"must", 1}, {"will have to", 1}, {"shall have to", 1},
    {"could have to", 1}, {"should have to", 1}, {"must have to", 1}, {"need to", 1}, {"try to", 1},
};
constexpr Word kTerminators[] = {{".", 50}, {";", 1}, {":", 1}, {"?", 1}, {"!", 1}, {"--", 1}};

/// A sequential random source for building the text pool.
class Sequence {
 public:
  explicit Sequence(uint64_t seed) : state_(seed) {}
  uint64_t next() { return mix(state_++); }
  int below(int n) { return static_cast<int>(next() % static_cast<uint64_t>(n)); }

 private:
  uint64_t state_;
};

template <size_t N>
const char* pick(const Word (&words)[N], Sequence& random) {
  int total = 0;
  for (const Word& w : words) total += w.weight;
  int r = random.below(total);
  for (const Word& w : words) {
    if (r < w.weight) return w.text;
    r -= w.weight;
  }
  return words[N - 1].text;
}

/// noun phrase: N | J N | J, J N | D J N
void noun_phrase(std::string& out, Sequence& random) {
  const int form = random.below(90);  // weights 10, 20, 10, 50
  if (form >= 10) {
    if (form >= 40) out += pick(kAdverbs, random), out += ' ';
    out += pick(kAdjectives, random);
    out += form >= 30 && form < 40 ? ", " : " ";
    if (form >= 30 && form < 40) out += pick(kAdjectives, random), out += ' ';
  }
  out += pick(kNouns, random);
}

/// verb phrase: V | X V | V D | X V D
void verb_phrase(std::string& out, Sequence& random) {
  const int form = random.below(72);  // weights 30, 1, 40, 1
  const bool auxiliary = form == 30 || form == 71;
  const bool adverb = form > 30;
  if (auxiliary) out += pick(kAuxiliaries, random), out += ' ';
  out += pick(kVerbs, random);
  if (adverb) out += ' ', out += pick(kAdverbs, random);
}

void prepositional_phrase(std::string& out, Sequence& random) {
  out += pick(kPrepositions, random);
  out += " the ";
  noun_phrase(out, random);
}

/// sentence: NP VP T | NP VP PP T | NP VP NP T | NP PP VP NP T | NP PP VP PP T
void sentence(std::string& out, Sequence& random) {
  const int form = random.below(11);
  noun_phrase(out, random);
  out += ' ';
  if (form >= 9) {
    prepositional_phrase(out, random);
    out += ' ';
  }
  verb_phrase(out, random);
  if (form >= 3 && form < 6) out += ' ', prepositional_phrase(out, random);
  if ((form >= 6 && form < 9) || form == 9) out += ' ', noun_phrase(out, random);
  if (form == 10) out += ' ', prepositional_phrase(out, random);
  out += pick(kTerminators, random);
  out += ' ';
}

/// The text pool the comments are cut from.
constexpr size_t kPoolSize = size_t{8} << 20;

const char kAddressChars[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ,    ";

/// Cents of a part's retail price (clause 4.2.3).
int64_t retail_cents(int64_t partkey) { return 90000 + ((partkey / 10) % 20001) + 100 * (partkey % 1000); }

int32_t date_of(int year, int month, int day) { return static_cast<int32_t>(datetime::days_from_civil(year, month, day)); }

const int32_t kStartDate = date_of(1992, 1, 1);
const int32_t kCurrentDate = date_of(1995, 6, 17);
const int32_t kEndDate = date_of(1998, 12, 31);

/// Appends rows to a chunk column by column.
class RowWriter {
 public:
  explicit RowWriter(DataChunk& out) : out_(out), row_(out.size()) {}
  size_t row() const { return row_; }
  void integer(size_t column, int64_t value) { out_.column(column).mutable_values<int32_t>()[row_] = static_cast<int32_t>(value); }
  void date(size_t column, int32_t days) { out_.column(column).mutable_values<int32_t>()[row_] = days; }
  void money(size_t column, int64_t cents) { out_.column(column).mutable_values<Numeric>()[row_] = Numeric::make(cents, 2); }
  void text(size_t column, std::string_view value) {
    Vector& vector = out_.column(column);
    vector.mutable_values<string_t>()[row_] = vector.string_heap().add(value);
  }
  void end_row() { out_.set_size(++row_); }

 private:
  DataChunk& out_;
  size_t row_;
};

std::string padded(const char* prefix, int64_t number) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%s%09lld", prefix, static_cast<long long>(number));
  return buffer;
}

std::string phone(uint64_t stream, uint64_t row, int64_t nation) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%02d-%03d-%03d-%04d", static_cast<int>(nation + 10),
                static_cast<int>(uniform(stream, row, 100, 999, 1)), static_cast<int>(uniform(stream, row, 100, 999, 2)),
                static_cast<int>(uniform(stream, row, 1000, 9999, 3)));
  return buffer;
}

std::string address(uint64_t stream, uint64_t row) {
  const int length = static_cast<int>(uniform(stream, row, 10, 40));
  std::string out(static_cast<size_t>(length), ' ');
  for (int i = 0; i < length; i++) out[i] = kAddressChars[random_bits(stream, row, 1 + i) % (sizeof(kAddressChars) - 1)];
  return out;
}

/// The first six columns of SUPPLIER and CUSTOMER: key, name ("Supplier#000000001"), address,
/// nation, phone and account balance; `streams` is the address stream, followed by the nation,
/// phone and balance streams.
void party_columns(RowWriter& w, const char* prefix, int64_t key, uint64_t r, uint64_t streams) {
  const int64_t nation = uniform(streams + 1, r, 0, 24);
  w.integer(0, key);
  w.text(1, padded(prefix, key));
  w.text(2, address(streams, r));
  w.integer(3, nation);
  w.text(4, phone(streams + 2, r, nation));
  w.money(5, uniform(streams + 3, r, -99999, 999999));
}

/// `base` rows scaled by the scale factor, at least one.
uint64_t scaled_count(uint64_t base, double scale_factor) {
  return std::max<uint64_t>(1, static_cast<uint64_t>(std::floor(static_cast<double>(base) * scale_factor)));
}

Column col(const char* name, LogicalType type) { return Column{name, type}; }

}  // namespace

std::optional<Table> table_by_name(std::string_view name) {
  for (Table t : {Table::kRegion, Table::kNation, Table::kPart, Table::kSupplier, Table::kPartsupp, Table::kCustomer,
                  Table::kOrders, Table::kLineitem}) {
    if (table_name(t) == name) return t;
  }
  return std::nullopt;
}

std::string_view table_name(Table table) {
  switch (table) {
    case Table::kRegion: return "region";
    case Table::kNation: return "nation";
    case Table::kPart: return "part";
    case Table::kSupplier: return "supplier";
    case Table::kPartsupp: return "partsupp";
    case Table::kCustomer: return "customer";
    case Table::kOrders: return "orders";
    case Table::kLineitem: return "lineitem";
  }
  return "";
}

std::vector<Column> table_columns(Table table) {
  const LogicalType i = LogicalType::integer();
  const LogicalType t = LogicalType::varchar();
  const LogicalType m = LogicalType::numeric(numeric::make_typmod(15, 2));
  const LogicalType d = LogicalType::date();
  switch (table) {
    case Table::kRegion: return {col("r_regionkey", i), col("r_name", t), col("r_comment", t)};
    case Table::kNation: return {col("n_nationkey", i), col("n_name", t), col("n_regionkey", i), col("n_comment", t)};
    case Table::kPart:
      return {col("p_partkey", i), col("p_name", t), col("p_mfgr", t), col("p_brand", t), col("p_type", t),
              col("p_size", i), col("p_container", t), col("p_retailprice", m), col("p_comment", t)};
    case Table::kSupplier:
      return {col("s_suppkey", i), col("s_name", t), col("s_address", t), col("s_nationkey", i),
              col("s_phone", t), col("s_acctbal", m), col("s_comment", t)};
    case Table::kPartsupp:
      return {col("ps_partkey", i), col("ps_suppkey", i), col("ps_availqty", i), col("ps_supplycost", m),
              col("ps_comment", t)};
    case Table::kCustomer:
      return {col("c_custkey", i), col("c_name", t), col("c_address", t), col("c_nationkey", i),
              col("c_phone", t), col("c_acctbal", m), col("c_mktsegment", t), col("c_comment", t)};
    case Table::kOrders:
      return {col("o_orderkey", i), col("o_custkey", i), col("o_orderstatus", t), col("o_totalprice", m),
              col("o_orderdate", d), col("o_orderpriority", t), col("o_clerk", t), col("o_shippriority", i),
              col("o_comment", t)};
    case Table::kLineitem:
      return {col("l_orderkey", i), col("l_partkey", i), col("l_suppkey", i), col("l_linenumber", i),
              col("l_quantity", m), col("l_extendedprice", m), col("l_discount", m), col("l_tax", m),
              col("l_returnflag", t), col("l_linestatus", t), col("l_shipdate", d), col("l_commitdate", d),
              col("l_receiptdate", d), col("l_shipinstruct", t), col("l_shipmode", t), col("l_comment", t)};
  }
  return {};
}

std::string create_table_sql(Table table) {
  const char* columns = "";
  switch (table) {
    case Table::kRegion:
      columns = "r_regionkey INTEGER NOT NULL, r_name CHAR(25) NOT NULL, r_comment VARCHAR(152)";
      break;
    case Table::kNation:
      columns = "n_nationkey INTEGER NOT NULL, n_name CHAR(25) NOT NULL, n_regionkey INTEGER NOT NULL, "
                "n_comment VARCHAR(152)";
      break;
    case Table::kPart:
      columns = "p_partkey INTEGER NOT NULL, p_name VARCHAR(55) NOT NULL, p_mfgr CHAR(25) NOT NULL, "
                "p_brand CHAR(10) NOT NULL, p_type VARCHAR(25) NOT NULL, p_size INTEGER NOT NULL, "
                "p_container CHAR(10) NOT NULL, p_retailprice DECIMAL(15,2) NOT NULL, p_comment VARCHAR(23) NOT NULL";
      break;
    case Table::kSupplier:
      columns = "s_suppkey INTEGER NOT NULL, s_name CHAR(25) NOT NULL, s_address VARCHAR(40) NOT NULL, "
                "s_nationkey INTEGER NOT NULL, s_phone CHAR(15) NOT NULL, s_acctbal DECIMAL(15,2) NOT NULL, "
                "s_comment VARCHAR(101) NOT NULL";
      break;
    case Table::kPartsupp:
      columns = "ps_partkey INTEGER NOT NULL, ps_suppkey INTEGER NOT NULL, ps_availqty INTEGER NOT NULL, "
                "ps_supplycost DECIMAL(15,2) NOT NULL, ps_comment VARCHAR(199) NOT NULL";
      break;
    case Table::kCustomer:
      columns = "c_custkey INTEGER NOT NULL, c_name VARCHAR(25) NOT NULL, c_address VARCHAR(40) NOT NULL, "
                "c_nationkey INTEGER NOT NULL, c_phone CHAR(15) NOT NULL, c_acctbal DECIMAL(15,2) NOT NULL, "
                "c_mktsegment CHAR(10) NOT NULL, c_comment VARCHAR(117) NOT NULL";
      break;
    case Table::kOrders:
      columns = "o_orderkey INTEGER NOT NULL, o_custkey INTEGER NOT NULL, o_orderstatus CHAR(1) NOT NULL, "
                "o_totalprice DECIMAL(15,2) NOT NULL, o_orderdate DATE NOT NULL, o_orderpriority CHAR(15) NOT NULL, "
                "o_clerk CHAR(15) NOT NULL, o_shippriority INTEGER NOT NULL, o_comment VARCHAR(79) NOT NULL";
      break;
    case Table::kLineitem:
      columns = "l_orderkey INTEGER NOT NULL, l_partkey INTEGER NOT NULL, l_suppkey INTEGER NOT NULL, "
                "l_linenumber INTEGER NOT NULL, l_quantity DECIMAL(15,2) NOT NULL, "
                "l_extendedprice DECIMAL(15,2) NOT NULL, l_discount DECIMAL(15,2) NOT NULL, "
                "l_tax DECIMAL(15,2) NOT NULL, l_returnflag CHAR(1) NOT NULL, l_linestatus CHAR(1) NOT NULL, "
                "l_shipdate DATE NOT NULL, l_commitdate DATE NOT NULL, l_receiptdate DATE NOT NULL, "
                "l_shipinstruct CHAR(25) NOT NULL, l_shipmode CHAR(10) NOT NULL, l_comment VARCHAR(44) NOT NULL";
      break;
  }
  std::string sql = "CREATE TABLE " + std::string(table_name(table)) + " (" + columns + ")";
  return sql;
}

uint64_t num_units(Table table, double scale_factor) {
  switch (table) {
    case Table::kRegion: return kRegions.size();
    case Table::kNation: return kNations.size();
    case Table::kPart:
    case Table::kPartsupp: return scaled_count(200000, scale_factor);
    case Table::kSupplier: return scaled_count(10000, scale_factor);
    case Table::kCustomer: return scaled_count(150000, scale_factor);
    case Table::kOrders:
    case Table::kLineitem: return scaled_count(1500000, scale_factor);
  }
  return 0;
}

double rows_per_unit(Table table) {
  switch (table) {
    case Table::kPartsupp: return 4;   // four suppliers per part
    case Table::kLineitem: return 4;   // one to seven line items per order
    default: return 1;
  }
}

Generator::Generator(double scale_factor) : scale_factor_(scale_factor) {
  suppliers_ = tpch::num_units(Table::kSupplier, scale_factor);
  parts_ = tpch::num_units(Table::kPart, scale_factor);
  customers_ = tpch::num_units(Table::kCustomer, scale_factor);
  orders_ = tpch::num_units(Table::kOrders, scale_factor);
  clerks_ = scaled_count(1000, scale_factor);
  Sequence random(kTextPool);
  pool_.reserve(kPoolSize + 512);
  while (pool_.size() < kPoolSize) sentence(pool_, random);
}

uint64_t Generator::num_units(Table table) const { return tpch::num_units(table, scale_factor_); }

std::string_view Generator::text(uint64_t stream, uint64_t row, int min_length, int max_length) const {
  const size_t length = static_cast<size_t>(uniform(stream, row, min_length, max_length));
  const size_t offset = random_bits(stream, row, 1) % (pool_.size() - length);
  return std::string_view(pool_).substr(offset, length);
}

/// One order and its line items, as the ORDERS and LINEITEM rows need them.
struct Generator::OrderLines {
  struct Line {
    int64_t partkey, suppkey, quantity, extended_cents, discount, tax;
    int32_t ship, commit, receipt;
    char returnflag, linestatus;
  };
  int64_t orderkey = 0;
  int32_t orderdate = 0;
  int count = 0;
  std::array<Line, 7> lines;
  int64_t total_cents = 0;
  char status = 'O';
};

void Generator::order(uint64_t index, OrderLines& o) const {
  // Sparse keys: the first 8 of every 32.
  o.orderkey = static_cast<int64_t>((index / 8) * 32 + index % 8 + 1);
  o.orderdate = static_cast<int32_t>(uniform(kOrderDate, index, kStartDate, kEndDate - 151));
  o.count = static_cast<int>(uniform(kOrderLines, index, 1, 7));
  __int128 total = 0;  // in 1/1000000 of a cent
  int shipped = 0;
  const int64_t s = static_cast<int64_t>(suppliers_);
  for (int i = 0; i < o.count; i++) {
    auto& l = o.lines[i];
    const uint64_t sub = static_cast<uint64_t>(i);
    l.partkey = uniform(kLinePart, index, 1, static_cast<int64_t>(parts_), sub);
    const int64_t corner = uniform(kLineSupplier, index, 0, 3, sub);
    l.suppkey = (l.partkey + corner * (s / 4 + (l.partkey - 1) / s)) % s + 1;
    l.quantity = uniform(kLineQuantity, index, 1, 50, sub);
    l.extended_cents = l.quantity * retail_cents(l.partkey);
    l.discount = uniform(kLineDiscount, index, 0, 10, sub);
    l.tax = uniform(kLineTax, index, 0, 8, sub);
    l.ship = o.orderdate + static_cast<int32_t>(uniform(kLineShip, index, 1, 121, sub));
    l.commit = o.orderdate + static_cast<int32_t>(uniform(kLineCommit, index, 30, 90, sub));
    l.receipt = l.ship + static_cast<int32_t>(uniform(kLineReceipt, index, 1, 30, sub));
    l.returnflag = l.receipt <= kCurrentDate ? (uniform(kLineReturn, index, 0, 1, sub) ? 'R' : 'A') : 'N';
    l.linestatus = l.ship > kCurrentDate ? 'O' : 'F';
    if (l.linestatus == 'F') shipped++;
    total += static_cast<__int128>(l.extended_cents) * (100 + l.tax) * (100 - l.discount);
  }
  o.total_cents = static_cast<int64_t>((total + 5000) / 10000);
  o.status = shipped == o.count ? 'F' : shipped == 0 ? 'O' : 'P';
}

void Generator::produce(Table table, uint64_t& unit, uint32_t& line, uint64_t end, DataChunk& out) const {
  RowWriter w(out);
  while (w.row() < kVectorSize && unit < end) {
    const uint64_t r = unit;
    const int64_t key = static_cast<int64_t>(r) + 1;
    switch (table) {
      case Table::kRegion:
        w.integer(0, key - 1);
        w.text(1, kRegions[r]);
        w.text(2, text(kRegionComment, r, 31, 115));
        break;
      case Table::kNation:
        w.integer(0, key - 1);
        w.text(1, kNations[r].name);
        w.integer(2, kNations[r].region);
        w.text(3, text(kNationComment, r, 31, 114));
        break;
      case Table::kPart: {
        // Five distinct colors.
        std::array<size_t, 5> picked{};
        std::string name;
        for (size_t i = 0; i < picked.size(); i++) {
          size_t c = static_cast<size_t>(random_bits(kPartName, r, i) % kColors.size());
          while (std::find(picked.begin(), picked.begin() + i, c) != picked.begin() + i) c = (c + 1) % kColors.size();
          picked[i] = c;
          if (i > 0) name += ' ';
          name += kColors[c];
        }
        const int64_t m = uniform(kPartMfgr, r, 1, 5);
        w.integer(0, key);
        w.text(1, name);
        w.text(2, "Manufacturer#" + std::to_string(m));
        w.text(3, "Brand#" + std::to_string(m) + std::to_string(uniform(kPartBrand, r, 1, 5)));
        w.text(4, std::string(kTypeSize[uniform(kPartType, r, 0, 5, 1)]) + " " + kTypeFinish[uniform(kPartType, r, 0, 4, 2)] +
                      " " + kTypeMaterial[uniform(kPartType, r, 0, 4, 3)]);
        w.integer(5, uniform(kPartSize, r, 1, 50));
        w.text(6, std::string(kContainerSize[uniform(kPartContainer, r, 0, 4, 1)]) + " " +
                      kContainerKind[uniform(kPartContainer, r, 0, 7, 2)]);
        w.money(7, retail_cents(key));
        w.text(8, text(kPartComment, r, 5, 22));
        break;
      }
      case Table::kSupplier: {
        party_columns(w, "Supplier#", key, r, kSuppAddress);
        std::string comment(text(kSuppComment, r, 25, 100));
        // About SF*5 suppliers each carry "Customer ... Complaints" or "Customer ... Recommends".
        const uint64_t pick = random_bits(kSuppComplaints, r) % 2000;
        if (pick < 2 && comment.size() >= 19) {
          const char* tail = pick == 0 ? "Complaints" : "Recommends";
          const size_t fixed = 8 + std::strlen(tail);
          const size_t gap = static_cast<size_t>(uniform(kSuppRecommends, r, 0, static_cast<int64_t>(comment.size() - fixed)));
          const size_t at = static_cast<size_t>(
              uniform(kSuppRecommends, r, 0, static_cast<int64_t>(comment.size() - fixed - gap), 1));
          comment.replace(at, 8, "Customer");
          comment.replace(at + 8 + gap, std::strlen(tail), tail);
        }
        w.text(6, comment);
        break;
      }
      case Table::kPartsupp: {
        // Four suppliers per part: one unit is one part, its rows are lines 0..3.
        const int64_t s = static_cast<int64_t>(suppliers_);
        const uint64_t i = line;
        w.integer(0, key);
        w.integer(1, (key + static_cast<int64_t>(i) * (s / 4 + (key - 1) / s)) % s + 1);
        w.integer(2, uniform(kPsQuantity, r, 1, 9999, i));
        w.money(3, uniform(kPsCost, r, 100, 100000, i));
        w.text(4, text(kPsComment, r * 4 + i, 49, 198));
        w.end_row();
        if (++line < 4) continue;
        line = 0;
        unit++;
        continue;
      }
      case Table::kCustomer: {
        party_columns(w, "Customer#", key, r, kCustAddress);
        w.text(6, kSegments[uniform(kCustSegment, r, 0, 4)]);
        w.text(7, text(kCustComment, r, 29, 116));
        break;
      }
      case Table::kOrders: {
        OrderLines o;
        order(r, o);
        // Customers whose key is divisible by 3 have no orders: the r-th key that is not.
        const int64_t c = static_cast<int64_t>(customers_);
        const int64_t pick = uniform(kOrderCustomer, r, 0, std::max<int64_t>(0, c - c / 3 - 1));
        w.integer(0, o.orderkey);
        w.integer(1, (pick / 2) * 3 + pick % 2 + 1);
        w.text(2, std::string_view(&o.status, 1));
        w.money(3, o.total_cents);
        w.date(4, o.orderdate);
        w.text(5, kPriorities[uniform(kOrderPriority, r, 0, 4)]);
        w.text(6, padded("Clerk#", uniform(kOrderClerk, r, 1, static_cast<int64_t>(clerks_))));
        w.integer(7, 0);
        w.text(8, text(kOrderComment, r, 19, 78));
        break;
      }
      case Table::kLineitem: {
        OrderLines o;
        order(r, o);
        while (line < static_cast<uint32_t>(o.count) && w.row() < kVectorSize) {
          const auto& l = o.lines[line];
          w.integer(0, o.orderkey);
          w.integer(1, l.partkey);
          w.integer(2, l.suppkey);
          w.integer(3, line + 1);
          w.money(4, l.quantity * 100);
          w.money(5, l.extended_cents);
          w.money(6, l.discount);
          w.money(7, l.tax);
          w.text(8, std::string_view(&l.returnflag, 1));
          w.text(9, std::string_view(&l.linestatus, 1));
          w.date(10, l.ship);
          w.date(11, l.commit);
          w.date(12, l.receipt);
          w.text(13, kInstructions[uniform(kLineInstruct, r, 0, 3, line)]);
          w.text(14, kShipModes[uniform(kLineMode, r, 0, 6, line)]);
          w.text(15, text(kLineComment, r * 8 + line, 10, 43));
          w.end_row();
          line++;
        }
        if (line == static_cast<uint32_t>(o.count)) {
          line = 0;
          unit++;
        }
        continue;
      }
    }
    w.end_row();
    unit++;
  }
}

}  // namespace tessera::executor::tpch
