//! wfmsim: a workforce-management and capacity-planning simulator for
//! contact centers.
//!
//! The data flows one way: a TOML scenario is read, laid with its
//! what-ifs and compiled into a [`model::Model`] by the [`input`] wing; the [`engine`] simulates one replication of it
//! into streaming [`stats`] counters; [`montecarlo`] runs replications in
//! parallel and summarises them; [`report`] renders the results. [`erlang`]
//! holds the analytic formulas the simulation is proven against.

pub mod assign;
pub mod budget;
pub mod channel;
pub mod compare;
pub mod counters;
pub mod cover;
pub mod diagnostic;
pub mod dist;
pub mod engine;
pub mod erlang;
pub mod fault;
pub mod fit;
pub mod forecast;
pub mod history;
pub mod input;
pub mod kpi;
pub mod merge;
pub mod model;
pub mod montecarlo;
pub mod periods;
pub mod plan;
pub mod report;
pub mod results;
pub mod schedule;
pub mod staffing;
pub mod stats;
pub mod streams;
pub mod sweep;
pub mod verdict;
