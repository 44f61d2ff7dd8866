//! Real reports validated against the published schema,
//! `schema/report.schema.json`, by a small validator of the JSON Schema
//! keywords that schema uses (type, const, enum, properties, required,
//! additionalProperties, propertyNames, items, minItems, maxItems, anyOf,
//! $ref to #/$defs). A report that leaves the schema fails here, so the
//! schema and the reports change together.

use crate::common::{stderr, wfmsim};
use serde_json::Value;

fn type_ok(v: &Value, t: &str) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.is_u64() || v.is_i64(),
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        _ => false,
    }
}

/// The problems of `v` against `schema` (empty when it conforms).
fn check(root: &Value, schema: &Value, v: &Value, path: &str, problems: &mut Vec<String>) {
    let mut fail = |what: String| problems.push(format!("{path}: {what}"));
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.strip_prefix("#/$defs/").expect("local refs only");
        return check(root, &root["$defs"][name], v, path, problems);
    }
    if let Some(options) = schema.get("anyOf").and_then(Value::as_array) {
        if !options.iter().any(|o| {
            let mut p = Vec::new();
            check(root, o, v, path, &mut p);
            p.is_empty()
        }) {
            fail(format!("matches none of anyOf: {v}"));
        }
        return;
    }
    match schema.get("type") {
        Some(Value::String(t)) if !type_ok(v, t) => fail(format!("not a {t}: {v}")),
        Some(Value::Array(ts)) if !ts.iter().any(|t| type_ok(v, t.as_str().unwrap())) => fail(format!("type: {v}")),
        _ => {}
    }
    if let Some(c) = schema.get("const") {
        if c != v {
            fail(format!("{v} is not {c}"));
        }
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array) {
        if !e.contains(v) {
            fail(format!("{v} is not one of {e:?}"));
        }
    }
    if let (Some(a), Some(n)) = (v.as_array(), schema.get("minItems").and_then(Value::as_u64)) {
        if (a.len() as u64) < n {
            fail(format!("fewer than {n} items"));
        }
    }
    if let (Some(a), Some(n)) = (v.as_array(), schema.get("maxItems").and_then(Value::as_u64)) {
        if a.len() as u64 > n {
            fail(format!("more than {n} items"));
        }
    }
    if let (Some(a), Some(items)) = (v.as_array(), schema.get("items")) {
        for (i, x) in a.iter().enumerate() {
            check(root, items, x, &format!("{path}[{i}]"), problems);
        }
    }
    let Some(obj) = v.as_object() else { return };
    for key in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
        if !obj.contains_key(key.as_str().unwrap()) {
            problems.push(format!("{path}: missing {key}"));
        }
    }
    let props = schema.get("properties").and_then(Value::as_object);
    for (k, x) in obj {
        let sub = format!("{path}.{k}");
        if let Some(names) = schema.get("propertyNames") {
            check(root, names, &Value::String(k.clone()), &sub, problems);
        }
        match (props.and_then(|p| p.get(k)), schema.get("additionalProperties")) {
            (Some(s), _) => check(root, s, x, &sub, problems),
            (None, Some(Value::Bool(false))) => problems.push(format!("{sub}: not in the schema")),
            (None, Some(s)) if s.is_object() => check(root, s, x, &sub, problems),
            _ => {}
        }
    }
}

fn schema() -> Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema/report.schema.json")).unwrap();
    serde_json::from_str(&text).expect("the schema is JSON")
}

#[test]
fn every_shipped_scenario_reports_within_the_schema_at_every_detail() {
    let schema = schema();
    for scenario in [
        "scenarios/single-queue-day.toml",
        "scenarios/dst-fall-back-day.toml",
        "scenarios/omnichannel-week.toml",
        "scenarios/follow-the-sun-week.toml",
        "scenarios/holiday-week.toml",
        "scenarios/risk-week.toml",
        "scenarios/launch-and-outage.toml",
    ] {
        for (detail, period) in [("horizon", "day"), ("period", "week"), ("interval", "month")] {
            let o = wfmsim(&[
                "run",
                scenario,
                "--replications",
                "3",
                "--format",
                "json",
                "--detail",
                detail,
                "--period",
                period,
                "--volume-scale",
                "1.1",
            ]);
            assert!(o.status.success(), "{}", stderr(&o));
            let report: Value = serde_json::from_slice(&o.stdout).unwrap();
            let mut problems = Vec::new();
            check(&schema, &schema, &report, "$", &mut problems);
            assert!(problems.is_empty(), "{scenario} --detail {detail}: {:#?}", &problems[..problems.len().min(10)]);
        }
    }
}

#[test]
fn the_validator_rejects_what_leaves_the_schema() {
    let schema = schema();
    let o = wfmsim(&["run", "scenarios/single-queue-day.toml", "--replications", "2", "--format", "json"]);
    let mut report: Value = serde_json::from_slice(&o.stdout).unwrap();
    report["queues"][0]["horizon"]["offered"]["mean"] = Value::String("many".into());
    report["teams"][0]["horizon"]["surprise"] = Value::Bool(true);
    report.as_object_mut().unwrap().remove("seed");
    let mut problems = Vec::new();
    check(&schema, &schema, &report, "$", &mut problems);
    assert_eq!(problems.len(), 3, "{problems:#?}");
}
