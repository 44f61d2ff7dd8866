//! The report of a staffing (`wfmsim staff`): per queue the agents
//! required per interval by Erlang C, Erlang A and the simulation, with
//! hours, FTE and cost; with `--by team`, each team's requirement
//! ([`by_team`]).

pub mod by_team;
pub mod csv;
pub mod html;
pub mod json;
pub mod table;
