//! Least-cost assignment (the Hungarian method, Kuhn–Munkres with
//! potentials, O(n²·m)): every row to a distinct column, rows ≤ columns.
//! Exact: the assignment returned has the least total cost of all.

/// A dense cost matrix, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct Costs {
    /// Rows.
    pub rows: usize,
    /// Columns, at least `rows`.
    pub columns: usize,
    /// `rows × columns` finite costs.
    pub cost: Vec<f64>,
}

impl Costs {
    /// A `rows × columns` matrix of `fill`.
    pub fn new(rows: usize, columns: usize, fill: f64) -> Self {
        Costs { rows, columns, cost: vec![fill; rows * columns] }
    }

    /// Cost of row `r` on column `c`.
    pub fn at(&self, r: usize, c: usize) -> f64 {
        self.cost[r * self.columns + c]
    }

    /// Sets the cost of row `r` on column `c`.
    pub fn set(&mut self, r: usize, c: usize, x: f64) {
        self.cost[r * self.columns + c] = x;
    }
}

/// The column of each row in a least-cost assignment of `costs`.
pub fn hungarian(costs: &Costs) -> Vec<usize> {
    let (n, m) = (costs.rows, costs.columns);
    assert!(n <= m, "an assignment needs at least as many columns as rows");
    let mut u = vec![0.0; n + 1];
    let mut v = vec![0.0; m + 1];
    let mut p = vec![0usize; m + 1];
    let mut way = vec![0usize; m + 1];
    for i in 1..=n {
        p[0] = i;
        let mut j0 = 0;
        let mut minv = vec![f64::INFINITY; m + 1];
        let mut used = vec![false; m + 1];
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let (mut delta, mut j1) = (f64::INFINITY, 0);
            let row = &costs.cost[(i0 - 1) * m..i0 * m];
            for j in 1..=m {
                if used[j] {
                    continue;
                }
                let cur = row[j - 1] - u[i0] - v[j];
                if cur < minv[j] {
                    minv[j] = cur;
                    way[j] = j0;
                }
                if minv[j] < delta {
                    delta = minv[j];
                    j1 = j;
                }
            }
            for j in 0..=m {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    let mut out = vec![0; n];
    for j in 1..=m {
        if p[j] != 0 {
            out[p[j] - 1] = j - 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every assignment of `n` rows to distinct columns, the least cost.
    fn brute(c: &Costs) -> f64 {
        fn go(c: &Costs, r: usize, used: &mut Vec<bool>) -> f64 {
            if r == c.rows {
                return 0.0;
            }
            let mut best = f64::INFINITY;
            for j in 0..c.columns {
                if !used[j] {
                    used[j] = true;
                    best = best.min(c.at(r, j) + go(c, r + 1, used));
                    used[j] = false;
                }
            }
            best
        }
        go(c, 0, &mut vec![false; c.columns])
    }

    #[test]
    fn the_least_cost_of_every_small_matrix() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        for _ in 0..300 {
            let rows = rng.random_range(1..6);
            let columns = rows + rng.random_range(0..3);
            let mut c = Costs::new(rows, columns, 0.0);
            for x in c.cost.iter_mut() {
                *x = rng.random_range(-20..20) as f64;
            }
            let cols = hungarian(&c);
            let mut seen = cols.clone();
            seen.sort_unstable();
            seen.dedup();
            assert_eq!(seen.len(), rows, "distinct columns");
            let total: f64 = cols.iter().enumerate().map(|(r, &j)| c.at(r, j)).sum();
            assert_eq!(total, brute(&c));
        }
    }
}
