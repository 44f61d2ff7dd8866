//! A proven upper bound on the hours any assignment can give agents: the
//! maximum flow of a network that every assignment keeping the rules is a
//! flow of. For one team and one week: source → each day shift (its
//! seconds) → each agent allowed it alone on that date (its seconds) →
//! (agent, date) (the longest shift the agent is allowed that date: one
//! shift a day) → agent (the week's most hours, and at most the sum of
//! its most days' largest dates) → sink. Rest, least hours and shifts across weeks are
//! relaxed, so the bound may be loose but never low.

use std::collections::BTreeMap;

use super::rules::Rules;

/// Seconds the bound's capacities count in (whole seconds: exact sums).
fn seconds(hours: f64) -> i64 {
    (hours * 3600.0).round() as i64
}

/// The bound, hours, on the day shifts `shifts` (one team's, all of one
/// week) given to the agents `agents` (the team's).
pub fn bound_hours(rules: &Rules, shifts: &[usize], agents: &[usize]) -> f64 {
    // Nodes: 0 source, 1 sink, then shifts, then (agent, date) pairs, then agents.
    let mut g = Flow::new(2);
    let shift_node: Vec<usize> = shifts.iter().map(|_| g.node()).collect();
    let agent_node: Vec<usize> = agents.iter().map(|_| g.node()).collect();
    let mut days: BTreeMap<(usize, jiff::civil::Date), (usize, i64)> = BTreeMap::new();
    for (k, &s) in shifts.iter().enumerate() {
        let length = seconds(rules.shifts[s].hours);
        g.edge(0, shift_node[k], length);
        for (n, &a) in agents.iter().enumerate() {
            if rules.alone(a, s).is_some() {
                continue;
            }
            let key = (n, rules.shifts[s].date);
            let day = match days.get_mut(&key) {
                Some(day) => {
                    day.1 = day.1.max(length);
                    day.0
                }
                None => {
                    let node = g.node();
                    days.insert(key, (node, length));
                    node
                }
            };
            g.edge(shift_node[k], day, length);
        }
    }
    let mut per_agent: Vec<Vec<i64>> = vec![Vec::new(); agents.len()];
    for (&(n, _), &(node, cap)) in &days {
        g.edge(node, agent_node[n], cap);
        per_agent[n].push(cap);
    }
    let week = shifts.first().map_or(0, |&s| rules.shifts[s].week);
    for (n, &a) in agents.iter().enumerate() {
        let limits = rules.weeks[a][week];
        let caps = &mut per_agent[n];
        caps.sort_unstable_by(|x, y| y.cmp(x));
        let by_days: i64 = caps.iter().take(limits.max_days as usize).sum();
        g.edge(agent_node[n], 1, by_days.min(seconds(limits.max_hours)));
    }
    g.max_flow(0, 1) as f64 / 3600.0
}

/// A flow network (Dinic's algorithm), integer capacities.
struct Flow {
    /// Per node, its edges (indices into `to` and `cap`).
    adjacent: Vec<Vec<usize>>,
    to: Vec<usize>,
    cap: Vec<i64>,
}

impl Flow {
    fn new(nodes: usize) -> Self {
        Flow { adjacent: vec![Vec::new(); nodes], to: Vec::new(), cap: Vec::new() }
    }

    fn node(&mut self) -> usize {
        self.adjacent.push(Vec::new());
        self.adjacent.len() - 1
    }

    /// An edge and its residual twin (edge ^ 1).
    fn edge(&mut self, from: usize, to: usize, cap: i64) {
        self.adjacent[from].push(self.to.len());
        self.to.push(to);
        self.cap.push(cap);
        self.adjacent[to].push(self.to.len());
        self.to.push(from);
        self.cap.push(0);
    }

    fn max_flow(&mut self, source: usize, sink: usize) -> i64 {
        let n = self.adjacent.len();
        let mut total = 0;
        loop {
            // Levels by breadth-first search.
            let mut level = vec![usize::MAX; n];
            level[source] = 0;
            let mut queue = std::collections::VecDeque::from([source]);
            while let Some(x) = queue.pop_front() {
                for &e in &self.adjacent[x] {
                    if self.cap[e] > 0 && level[self.to[e]] == usize::MAX {
                        level[self.to[e]] = level[x] + 1;
                        queue.push_back(self.to[e]);
                    }
                }
            }
            if level[sink] == usize::MAX {
                return total;
            }
            let mut next = vec![0usize; n];
            loop {
                let pushed = self.push(source, sink, i64::MAX, &level, &mut next);
                if pushed == 0 {
                    break;
                }
                total += pushed;
            }
        }
    }

    /// One blocking-flow path from `x`, iteratively (no recursion depth
    /// limit on long paths).
    fn push(&mut self, source: usize, sink: usize, limit: i64, level: &[usize], next: &mut [usize]) -> i64 {
        let mut path: Vec<usize> = Vec::new();
        let mut x = source;
        loop {
            if x == sink {
                let flow = path.iter().map(|&e| self.cap[e]).fold(limit, i64::min);
                for &e in &path {
                    self.cap[e] -= flow;
                    self.cap[e ^ 1] += flow;
                }
                return flow;
            }
            let mut advanced = false;
            while next[x] < self.adjacent[x].len() {
                let e = self.adjacent[x][next[x]];
                let y = self.to[e];
                if self.cap[e] > 0 && level[y] == level[x] + 1 {
                    path.push(e);
                    x = y;
                    advanced = true;
                    break;
                }
                next[x] += 1;
            }
            if !advanced {
                // A dead end: retreat, and skip the edge that led here.
                let Some(e) = path.pop() else { return 0 };
                x = self.to[e ^ 1];
                next[x] += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dinic_finds_the_maximum_flow_of_a_small_network() {
        // Two paths of 3 and one crossing edge; the cut at the sink is 5.
        let mut g = Flow::new(2);
        let (a, b) = (g.node(), g.node());
        g.edge(0, a, 4);
        g.edge(0, b, 3);
        g.edge(a, b, 2);
        g.edge(a, 1, 2);
        g.edge(b, 1, 3);
        assert_eq!(g.max_flow(0, 1), 5);
    }
}
