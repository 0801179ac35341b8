#include "server/stats/render.hpp"

#include "server/json/json.hpp"

namespace signaal::stats {
namespace {

std::string hidden_text(std::int64_t k) {
    return "<" + std::to_string(k);
}

json::value count_value(const published_cell& c, std::int64_t k) {
    if (c.count) {
        return *c.count;
    }
    return json::value(hidden_text(k));
}

/// parent[key] as an object, made empty the first time.
json::object& object_at(json::object& parent, std::string_view key) {
    auto& v = parent[key];
    if (!v.is_object()) {
        v.emplace_object();
    }
    return v.as_object();
}

json::object quarter_json(const published_quarter& p, std::int64_t answer_k) {
    json::object q;
    q["quarter"] = quarter_text(p.of);
    if (p.k != answer_k) {
        q["k"] = p.k;
    }
    json::object tables;
    json::object desks;
    for (const auto& r : p.rows) {
        if (r.table == "n") {
            q["n"] = count_value(r, p.k);
        } else if (r.desk.empty()) {
            object_at(tables, r.table)[r.cell] = count_value(r, p.k);
        } else if (r.table == "routed") {
            object_at(desks, r.desk)["routed"] = count_value(r, p.k);
        } else {
            object_at(object_at(desks, r.desk), r.table)[r.cell] = count_value(r, p.k);
        }
    }
    q["tables"] = std::move(tables);
    q["desks"] = std::move(desks);
    return q;
}

} // namespace

std::string render_json(const stats_answer& answer) {
    json::object doc;
    doc["k"] = answer.k;
    json::array quarters;
    for (const auto& p : answer.quarters) {
        quarters.push_back(quarter_json(p, answer.k));
    }
    doc["quarters"] = std::move(quarters);
    json::array not_yet;
    for (const auto q : answer.not_yet) {
        not_yet.push_back(json::value(quarter_text(q)));
    }
    doc["not_yet"] = std::move(not_yet);
    return json::serialize(doc);
}

std::string render_csv(const stats_answer& answer) {
    std::string out = "quarter,table,desk,cell,count\n";
    for (const auto& p : answer.quarters) {
        const std::string name = quarter_text(p.of);
        for (const auto& r : p.rows) {
            out += name + ',' + r.table + ',' + r.desk + ',' + r.cell + ',' +
                   (r.count ? std::to_string(*r.count) : hidden_text(p.k)) + '\n';
        }
    }
    return out;
}

} // namespace signaal::stats
