//! The integration suite: one binary, one module per feature, so the
//! suite links once. Modules that run `wfmsim` as a user does share
//! [`common`]; the property tests and the fuzz targets share
//! [`fuzz_support`].

mod common;
mod fuzz_support;

mod agents;
mod architecture;
mod capped;
mod check;
mod cli;
mod compare;
mod cost;
mod deferred;
mod docs;
mod errors;
mod events;
mod forecast;
mod fuzz_properties;
mod hardening;
mod history;
mod historycli;
mod honest_answers;
mod html_browser;
mod omnichannel_theory;
mod outputs;
mod plan;
mod properties;
mod risk;
mod scale;
mod schedule;
mod schema;
mod shards;
mod slurm;
mod staffing;
mod sweep;
mod theory;
mod whatif;
