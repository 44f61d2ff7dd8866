//! A realistic covering problem, shared by the tests and the bench.

use super::{Column, Problem};

/// Half-hour intervals in a day.
const PER_DAY: u32 = 48;

/// A week of half-hour intervals (336 rows) with a bell-shaped daily demand
/// peaking at `peak` agents around 13:00 (zero before 06:00 and where it
/// rounds below 1), and
/// 406 columns: 8-hour full-time shifts (the two middle intervals at half
/// share, for a staggered break) and 4-hour part-time shifts, starting every
/// 30 minutes from 06:00 to 20:00, each on the same start for 5 consecutive
/// days from any day of the week (wrapping). Cost: paid hours per week (40 or
/// 20).
pub fn sample_week(peak: f64) -> Problem {
    let demand = (0..7 * PER_DAY).map(|r| bell(peak, f64::from(r % PER_DAY) / 2.0)).collect();
    let mut columns = Vec::new();
    for first_day in 0..7 {
        for start in 12..=40 {
            columns.push(shift(first_day, start, 16));
            columns.push(shift(first_day, start, 8));
        }
    }
    Problem { demand, columns, limits: Vec::new(), breaks: Vec::new() }
}

/// Agents needed at hour `hour` of the day.
fn bell(peak: f64, hour: f64) -> u32 {
    let agents = peak * (-((hour - 13.0) / 3.5).powi(2)).exp();
    if agents < 1.0 || hour < 6.0 {
        0
    } else {
        agents.round() as u32
    }
}

/// `length` half-hours from interval `start` on 5 days from `first_day`.
fn shift(first_day: u32, start: u32, length: u32) -> Column {
    let mut cover: Vec<(u32, f64)> = (0..5)
        .flat_map(|d| (0..length).map(move |k| (d, k)))
        .map(|(d, k)| {
            let share = if length == 16 && (k == 7 || k == 8) { 0.5 } else { 1.0 };
            (((first_day + d) * PER_DAY + start + k) % (7 * PER_DAY), share)
        })
        .collect();
    cover.sort_by_key(|c| c.0);
    Column { cost: f64::from(length) / 2.0 * 5.0, cover, part_time: length < 16 }
}
