use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;

/// Options small enough for many tiny cases.
fn quick() -> Options {
    Options { search_steps: 2_000, nodes: 500, ..Options::default() }
}

/// A column over `rows` at full share.
fn full(cost: f64, rows: &[u32]) -> Column {
    Column { cost, cover: rows.iter().map(|&r| (r, 1.0)).collect(), part_time: false }
}

/// A random tiny problem: ≤ 4 columns, ≤ 6 rows, demand ≤ 3, shares 1 or
/// 0.5, sometimes a limit.
fn tiny(rng: &mut ChaCha8Rng) -> Problem {
    let rows = rng.random_range(1..=6u32);
    let demand = (0..rows).map(|_| rng.random_range(0..=3)).collect();
    let columns = (0..rng.random_range(1..=4))
        .map(|_| Column {
            cost: f64::from(rng.random_range(1..=8u32)) * if rng.random_bool(0.3) { 0.75 } else { 1.0 },
            cover: tiny_cover(rng, rows),
            part_time: rng.random_bool(0.4),
        })
        .collect::<Vec<_>>();
    let limits = tiny_limits(rng, columns.len());
    Problem { demand, columns, limits, breaks: Vec::new() }
}

/// About half the rows, each at share 1 or 0.5.
fn tiny_cover(rng: &mut ChaCha8Rng, rows: u32) -> Vec<(u32, f64)> {
    let mut cover = Vec::new();
    for r in 0..rows {
        if rng.random_bool(0.5) {
            cover.push((r, if rng.random_bool(0.3) { 0.5 } else { 1.0 }));
        }
    }
    cover
}

/// Zero or one random limit on a random subset of `n` columns.
fn tiny_limits(rng: &mut ChaCha8Rng, n: usize) -> Vec<Limit> {
    let columns: Vec<usize> = (0..n).filter(|_| rng.random_bool(0.6)).collect();
    match rng.random_range(0..6) {
        0 => vec![Limit::AtMost { columns, agents: rng.random_range(0..=4) }],
        1 => vec![Limit::AtLeast { columns, agents: rng.random_range(0..=3) }],
        2 => vec![Limit::PartTimeShare { columns, share: [0.0, 0.34, 0.5][rng.random_range(0..3)] }],
        _ => Vec::new(),
    }
}

/// The least cost over every roster with at most 6 agents per column (enough:
/// demand ≤ 3 at share ≥ 0.5), if any is feasible.
fn brute_force(problem: &Problem) -> Option<f64> {
    let n = problem.columns.len();
    let mut best: Option<f64> = None;
    for code in 0..7usize.pow(n as u32) {
        let x: Vec<u32> = (0..n).map(|j| (code / 7usize.pow(j as u32) % 7) as u32).collect();
        if verify::feasible(problem, &x, &[]) {
            let c = cost(problem, &x);
            best = Some(best.map_or(c, |b: f64| b.min(c)));
        }
    }
    best
}

#[test]
fn tiny_instances_match_brute_force() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let (mut solved, mut refused) = (0, 0);
    for case in 0..400 {
        let problem = tiny(&mut rng);
        match (brute_force(&problem), solve(&problem, &quick())) {
            (Some(optimum), Ok(s)) => {
                assert!(verify::feasible(&problem, &s.counts, &s.placements), "case {case}: {problem:?}");
                assert!(s.lower_bound <= optimum + 1e-9, "case {case}: bound {} > {optimum}", s.lower_bound);
                assert!((s.objective - optimum).abs() < 1e-9, "case {case}: {} vs {optimum}: {problem:?}", s.objective);
                assert!(s.optimal && s.gap == 0.0, "case {case}: not proven: {s:?}");
                solved += 1;
            }
            (None, Err(CoverError::Uncovered { .. } | CoverError::Infeasible(_))) => refused += 1,
            (optimum, result) => panic!("case {case}: brute force {optimum:?}, solver {result:?}: {problem:?}"),
        }
    }
    assert!(solved > 200 && refused > 10, "{solved} solved, {refused} refused");
}

#[test]
fn uncovered_names_exactly_the_rows_nothing_can_cover() {
    let problem = Problem {
        demand: vec![1, 2, 0, 1, 3, 1, 1],
        columns: vec![full(8.0, &[1, 2]), full(8.0, &[2, 3]), full(4.0, &[5]), full(4.0, &[6])],
        limits: vec![Limit::AtMost { columns: vec![2], agents: 0 }],
        breaks: vec![],
    };
    assert_eq!(solve(&problem, &quick()), Err(CoverError::Uncovered { rows: vec![0, 4, 5] }));
    let message = solve(&problem, &quick()).unwrap_err().to_string();
    assert_eq!(message, "no shift can cover interval(s) 0, 4, 5");
}

#[test]
fn uncovered_counts_at_most_limits_taken_together() {
    // Rows 0 and 1 each need 2 agents; columns 0 and 1 share one AtMost of 1.
    let problem = Problem {
        demand: vec![2, 2, 1],
        columns: vec![full(1.0, &[0, 1]), full(1.0, &[0, 1]), full(1.0, &[2])],
        limits: vec![Limit::AtMost { columns: vec![0, 1], agents: 1 }],
        breaks: vec![],
    };
    assert_eq!(solve(&problem, &quick()), Err(CoverError::Uncovered { rows: vec![0, 1] }));
}

#[test]
fn contradicting_limits_are_described() {
    let problem = Problem {
        demand: vec![1],
        columns: vec![full(1.0, &[0]), full(1.0, &[0]), full(1.0, &[0])],
        limits: vec![
            Limit::AtMost { columns: vec![0, 1, 2], agents: 3 },
            Limit::AtLeast { columns: vec![0, 1], agents: 5 },
        ],
        breaks: vec![],
    };
    let error = solve(&problem, &quick()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the limits cannot all hold: limits[1] asks at least 5 agents where limits[0] allows at most 3"
    );
}

#[test]
fn realistic_week_within_two_percent() {
    let problem = sample_week(60.0);
    let solution = solve(&problem, &Options::default()).unwrap();
    assert!(verify::feasible(&problem, &solution.counts, &solution.placements));
    assert!(solution.gap <= 0.02, "{solution:?}");
    assert!(solution.lower_bound <= solution.objective);
    assert_eq!((solution.objective - solution.lower_bound) / solution.objective, solution.gap);
}

#[test]
fn limits_hold_on_the_week() {
    let mut problem = sample_week(40.0);
    let all: Vec<usize> = (0..problem.columns.len()).collect();
    let evening: Vec<usize> =
        (0..problem.columns.len()).filter(|&j| problem.columns[j].cover[0].0 % 48 >= 30).collect();
    problem.limits = vec![
        Limit::PartTimeShare { columns: all.clone(), share: 0.25 },
        Limit::AtMost { columns: evening.clone(), agents: 30 },
        Limit::AtLeast { columns: vec![0, 1, 2], agents: 4 },
    ];
    let solution = solve(&problem, &Options::default()).unwrap();
    assert!(verify::feasible(&problem, &solution.counts, &solution.placements));
    let part: u32 = all.iter().filter(|&&j| problem.columns[j].part_time).map(|&j| solution.counts[j]).sum();
    let total: u32 = solution.counts.iter().sum();
    assert!(f64::from(part) <= 0.25 * f64::from(total), "{part} of {total}");
    assert!(evening.iter().map(|&j| solution.counts[j]).sum::<u32>() <= 30);
    assert!(solution.counts[..3].iter().sum::<u32>() >= 4);
    assert!(solution.gap <= 0.05, "{solution:?}");
}

#[test]
fn same_input_same_roster() {
    let problem = sample_week(25.0);
    let options = Options { search_steps: 5_000, nodes: 50, ..Options::default() };
    let first = solve(&problem, &options).unwrap();
    let second = solve(&problem, &options).unwrap();
    assert_eq!(first.counts, second.counts);
    assert_eq!(first.lower_bound.to_bits(), second.lower_bound.to_bits());
}

#[test]
fn degenerate_inputs_give_answers_not_panics() {
    let empty = Problem { demand: vec![], columns: vec![], limits: vec![], breaks: vec![] };
    assert_eq!(solve(&empty, &quick()).unwrap().counts, Vec::<u32>::new());
    let idle = Problem { demand: vec![0; 5], columns: vec![full(3.0, &[1, 2])], limits: vec![], breaks: vec![] };
    let solution = solve(&idle, &quick()).unwrap();
    assert_eq!((solution.counts, solution.objective, solution.optimal), (vec![0], 0.0, true));
    let bare = Problem { demand: vec![0, 2, 1], columns: vec![], limits: vec![], breaks: vec![] };
    assert_eq!(solve(&bare, &quick()), Err(CoverError::Uncovered { rows: vec![1, 2] }));
    let huge = Problem { demand: vec![u32::MAX, 7], columns: vec![full(1.0, &[0, 1])], limits: vec![], breaks: vec![] };
    assert_eq!(solve(&huge, &quick()).unwrap().counts, vec![u32::MAX]);
    let too_huge = Problem {
        demand: vec![u32::MAX],
        columns: vec![Column { cost: 1.0, cover: vec![(0, 0.5)], part_time: false }],
        limits: vec![],
        breaks: vec![],
    };
    assert!(matches!(solve(&too_huge, &quick()), Err(CoverError::Invalid(_))));
}

#[test]
fn bad_numbers_are_refused() {
    let with = |cost: f64, cover: Vec<(u32, f64)>| Problem {
        demand: vec![1, 1],
        columns: vec![Column { cost, cover, part_time: false }],
        limits: vec![],
        breaks: vec![],
    };
    let refused = |p: &Problem| matches!(solve(p, &quick()), Err(CoverError::Invalid(_)));
    assert!(refused(&with(f64::NAN, vec![(0, 1.0)])));
    assert!(refused(&with(0.0, vec![(0, 1.0)])));
    assert!(refused(&with(f64::INFINITY, vec![(0, 1.0)])));
    assert!(refused(&with(1.0, vec![(0, f64::NAN)])));
    assert!(refused(&with(1.0, vec![(0, 1.5)])));
    assert!(refused(&with(1.0, vec![(1, 1.0), (0, 1.0)])));
    assert!(refused(&with(1.0, vec![(2, 1.0)])));
    let mut limited = with(1.0, vec![(0, 1.0), (1, 1.0)]);
    limited.limits = vec![Limit::AtMost { columns: vec![1], agents: 1 }];
    assert!(refused(&limited));
    limited.limits = vec![Limit::PartTimeShare { columns: vec![0], share: f64::NAN }];
    assert!(refused(&limited));
    let message = solve(&with(f64::NAN, vec![(0, 1.0)]), &quick()).unwrap_err().to_string();
    assert_eq!(message, "invalid covering problem: columns[0].cost NaN is not a finite number > 0");
}

/// A random tiny problem with breaks to place: ≤ 3 columns over a run of
/// rows at full share, each with one break of 2 or 3 options, each option
/// taking 0.5 or 1 of an agent off one row of the run.
fn tiny_with_breaks(rng: &mut ChaCha8Rng) -> Problem {
    let rows = rng.random_range(3..=6u32);
    let demand = (0..rows).map(|_| rng.random_range(0..=3)).collect();
    let mut columns = Vec::new();
    let mut breaks = Vec::new();
    for j in 0..rng.random_range(1..=3usize) {
        let first = rng.random_range(0..rows - 1);
        let last = rng.random_range(first + 1..rows);
        let span: Vec<u32> = (first..=last).collect();
        columns.push(full(f64::from(rng.random_range(2..=6u32)), &span));
        let options = (0..rng.random_range(2..=3))
            .map(|_| vec![(span[rng.random_range(0..span.len())], if rng.random_bool(0.5) { 0.5 } else { 1.0 })])
            .collect();
        breaks.push(BreakGroup { column: j, options });
    }
    Problem { demand, columns, limits: Vec::new(), breaks }
}

/// Every way to share `n` agents among `k` options.
fn compositions(n: u32, k: usize) -> Vec<Vec<u32>> {
    if k == 1 {
        return vec![vec![n]];
    }
    (0..=n)
        .flat_map(|first| {
            compositions(n - first, k - 1).into_iter().map(move |mut rest| {
                rest.insert(0, first);
                rest
            })
        })
        .collect()
}

/// The least cost over every roster of at most 5 agents per column and
/// every placement of their breaks, if any is feasible.
fn brute_force_placed(problem: &Problem) -> Option<f64> {
    let n = problem.columns.len();
    let mut best: Option<f64> = None;
    for code in 0..6usize.pow(n as u32) {
        let x: Vec<u32> = (0..n).map(|j| (code / 6usize.pow(j as u32) % 6) as u32).collect();
        let per_group: Vec<Vec<Vec<u32>>> =
            problem.breaks.iter().map(|g| compositions(x[g.column], g.options.len())).collect();
        let mut pick = vec![0usize; per_group.len()];
        let found = loop {
            let y: Vec<Vec<u32>> = pick.iter().zip(&per_group).map(|(&p, all)| all[p].clone()).collect();
            if verify::feasible(problem, &x, &y) {
                break true;
            }
            let Some(g) = (0..pick.len()).find(|&g| pick[g] + 1 < per_group[g].len()) else { break false };
            pick[g] += 1;
            (0..g).for_each(|h| pick[h] = 0);
        };
        if found {
            let c = cost(problem, &x);
            best = Some(best.map_or(c, |b: f64| b.min(c)));
        }
    }
    best
}

#[test]
fn tiny_instances_with_breaks_match_brute_force() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let (mut solved, mut optimal) = (0, 0);
    for case in 0..300 {
        let problem = tiny_with_breaks(&mut rng);
        let Some(optimum) = brute_force_placed(&problem) else { continue };
        let s = solve(&problem, &quick()).unwrap_or_else(|e| panic!("case {case}: {e}: {problem:?}"));
        assert!(verify::feasible(&problem, &s.counts, &s.placements), "case {case}: {problem:?}");
        assert!(s.lower_bound <= optimum + 1e-9, "case {case}: bound {} > {optimum}", s.lower_bound);
        assert!(s.objective >= optimum - 1e-9, "case {case}");
        solved += 1;
        optimal += usize::from((s.objective - optimum).abs() < 1e-9);
    }
    assert!(solved > 80, "{solved} solved");
    assert!(optimal * 100 >= solved * 95, "{optimal} of {solved} optimal");
}

#[test]
fn a_break_goes_where_the_demand_allows() {
    // One agent-shift over rows 0..=2; its break may take row 0 or row 1 off
    // duty. Demand 1 in rows 1 and 2: the break must go in row 0.
    let problem = Problem {
        demand: vec![0, 1, 1],
        columns: vec![full(3.0, &[0, 1, 2])],
        limits: vec![],
        breaks: vec![BreakGroup { column: 0, options: vec![vec![(1, 1.0)], vec![(0, 1.0)]] }],
    };
    let s = solve(&problem, &quick()).unwrap();
    assert_eq!((s.counts.clone(), s.placements.clone()), (vec![1], vec![vec![0, 1]]));
    assert!(s.optimal);
}

/// Without proving its bound, `solve` finds the same roster (the bound
/// only steers it), and [`proven_bound`] proves afterwards the bound it
/// would have reported: a true bound, never above the optimum.
#[test]
fn a_bound_proven_afterwards_is_the_bound_solve_proves() {
    let mut rng = ChaCha8Rng::seed_from_u64(12);
    let mut compared = 0;
    for case in 0..200 {
        let problem = tiny_with_breaks(&mut rng);
        let Some(optimum) = brute_force_placed(&problem) else { continue };
        let proving = solve(&problem, &quick()).unwrap();
        let steering = solve(&problem, &Options { prove_bound: false, ..quick() }).unwrap();
        assert_eq!((&proving.counts, &proving.placements), (&steering.counts, &steering.placements), "case {case}");
        let bound = proven_bound(&problem);
        assert!(bound <= optimum + 1e-9, "case {case}: {bound} > {optimum}");
        if !proving.optimal {
            assert_eq!(bound, proving.lower_bound, "case {case}");
        }
        compared += 1;
    }
    assert!(compared > 50, "{compared}");
}

/// A week of [`sample_week`]'s demand for 8-hour shifts every 30 minutes
/// from 06:00 to 18:00 on 5 consecutive days, each with a 15-minute break
/// (half an interval off, 3 options) and a 30-minute one (a whole
/// interval, 3 options), the same start every day: 175 columns and 1,050
/// break options, past the neighbourhood's size.
fn week_with_breaks(peak: f64) -> Problem {
    let demand = sample_week(peak).demand;
    let rows = demand.len() as u32;
    let mut columns = Vec::new();
    let mut breaks = Vec::new();
    for first_day in 0..7u32 {
        for start in 12..=36u32 {
            let on_days = |k: u32, share: f64| -> Vec<(u32, f64)> {
                let mut rows_of: Vec<(u32, f64)> =
                    (0..5).map(|d| (((first_day + d) * 48 + start + k) % rows, share)).collect();
                rows_of.sort_by_key(|r| r.0);
                rows_of
            };
            let cover: Vec<(u32, f64)> = {
                let mut all: Vec<(u32, f64)> = (0..16).flat_map(|k| on_days(k, 1.0)).collect();
                all.sort_by_key(|r| r.0);
                all
            };
            let j = columns.len();
            columns.push(Column { cost: 40.0, cover, part_time: false });
            breaks.push(BreakGroup { column: j, options: (4..=6).map(|k| on_days(k, 0.5)).collect() });
            breaks.push(BreakGroup { column: j, options: (8..=10).map(|k| on_days(k, 1.0)).collect() });
        }
    }
    Problem { demand, columns, limits: Vec::new(), breaks }
}

#[test]
fn a_large_break_problem_is_solved_by_local_moves_within_the_bound_gap() {
    for peak in [20.0, 45.0] {
        let problem = week_with_breaks(peak);
        let s = solve(&problem, &Options::default()).unwrap();
        assert!(verify::feasible(&problem, &s.counts, &s.placements), "peak {peak}");
        assert!(s.lower_bound <= s.objective && s.lower_bound > 0.0, "peak {peak}: {s:?}");
        assert!(s.gap <= 0.04, "peak {peak}: gap {} ({} vs {})", s.gap, s.objective, s.lower_bound);
        // The relaxation, its dual and the small model's dive: no branch and
        // bound, no re-solve of the large model.
        assert_eq!(s.stats.nodes, 0, "peak {peak}");
        assert!(s.stats.search_steps > 0, "peak {peak}");
    }
}

#[test]
fn a_large_break_problem_gives_the_same_roster_twice() {
    let problem = week_with_breaks(30.0);
    let options = Options { prove_bound: false, ..Options::default() };
    let first = solve(&problem, &options).unwrap();
    let second = solve(&problem, &options).unwrap();
    assert_eq!((&first.counts, &first.placements), (&second.counts, &second.placements));
    assert_eq!(first.stats.search_steps, second.stats.search_steps);
    assert_eq!(first.lower_bound.to_bits(), second.lower_bound.to_bits());
}

#[test]
fn local_moves_keep_the_limits_of_a_large_break_problem() {
    let mut problem = week_with_breaks(30.0);
    let late: Vec<usize> = (0..problem.columns.len()).filter(|&j| j % 25 >= 18).collect();
    let early: Vec<usize> = (0..problem.columns.len()).filter(|&j| j % 25 < 4).collect();
    problem.limits =
        vec![Limit::AtMost { columns: late.clone(), agents: 6 }, Limit::AtLeast { columns: early.clone(), agents: 12 }];
    let s = solve(&problem, &Options { prove_bound: false, ..Options::default() }).unwrap();
    assert!(verify::feasible(&problem, &s.counts, &s.placements));
    assert!(late.iter().map(|&j| s.counts[j]).sum::<u32>() <= 6);
    assert!(early.iter().map(|&j| s.counts[j]).sum::<u32>() >= 12);
    assert!(s.gap <= 0.06, "gap {}", s.gap);
}

#[test]
fn an_extended_roster_keeps_every_agent_and_covers_the_raised_demand() {
    let problem = week_with_breaks(30.0);
    let before = solve(&problem, &Options { prove_bound: false, ..Options::default() }).unwrap();
    // Raise every fifth row with demand by one or two agents.
    let mut raised = problem.clone();
    for (r, d) in raised.demand.iter_mut().enumerate().filter(|(r, d)| r % 5 == 0 && **d > 0) {
        *d += 1 + (r % 2) as u32;
    }
    assert!(!verify::feasible(&raised, &before.counts, &before.placements), "the raise must leave rows short");
    let after = extend(&raised, &before).unwrap();
    assert!(verify::feasible(&raised, &after.counts, &after.placements));
    for (j, (&b, &a)) in before.counts.iter().zip(&after.counts).enumerate() {
        assert!(a >= b, "column {j}: {b} agents became {a}");
    }
    assert!(after.objective > before.objective);
    assert_eq!(after.lower_bound.to_bits(), before.lower_bound.to_bits());
    // A roster of other columns is refused, not extended.
    let mut other = before.clone();
    other.counts.pop();
    assert!(matches!(extend(&raised, &other), Err(CoverError::Invalid(_))));
}
