//! The integration suite: one binary, one module per feature, so the
//! suite links once. Modules that run `wfmsim` as a user does share
//! [`common`]; the property tests and the fuzz targets share
//! [`fuzz_support`].

mod common;
mod fuzz_support;

mod agents;
mod architecture;
mod check;
mod cli;
mod compare;
mod deferred;
mod docs;
mod errors;
mod events;
mod forecast;
mod fuzz_properties;
mod hardening;
mod history;
mod html_browser;
mod omnichannel_theory;
mod plan;
mod properties;
mod risk;
mod schedule;
mod schema;
mod shards;
mod slurm;
mod staffing;
mod sweep;
mod theory;
mod whatif;
