//! Validation and compilation of `[[queue]]`: channel, handle time and
//! patience, channel options (chat concurrency and slowdown, a deferred
//! queue's initial backlog), targets and the arrival pattern.

use toml::Spanned;

use super::dates::WeeklyShape;
use super::{piecewise_rates, Compiler, Grid};
use crate::channel::Channel;
use crate::diagnostic::shown;
use crate::dist::Duration;
use crate::input::written::{ArrivalsSpec, BacklogSpec, DurationSpec, QueueSpec, TargetSpec};
use crate::kpi::Targets;
use crate::model::{Queue, RateSegment, DEFAULT_WITHIN_HOURS, DEFAULT_WITHIN_S, MAX_BACKLOG_ITEMS, MAX_CONCURRENCY};
use crate::model::{MAX_PROFILE_WEIGHT, MAX_RATE_PER_HOUR, MAX_SLOWDOWN};

impl Compiler<'_> {
    pub(super) fn queue(
        &mut self,
        i: usize,
        q: &QueueSpec,
        grid: Option<&Grid>,
        minutes: Option<i64>,
    ) -> Option<Queue> {
        let f = |name: &str| format!("queue[{i}].{name}");
        let channel = self.channel(i, q);
        let handle_time = self.duration(&q.handle_time, &f("handle_time"));
        let patience = q.patience.as_ref().map(|p| self.duration(p, &f("patience")));
        let options = channel.and_then(|c| self.channel_options(i, q, c));
        let targets = channel.and_then(|c| self.targets(i, &q.target, c));
        let arrivals = self.arrivals(i, &q.arrivals, grid, minutes);
        let (channel, (concurrency, slowdown, initial_backlog)) = (channel?, options?);
        Some(Queue {
            name: q.name.get_ref().clone(),
            channel,
            handle_time: handle_time?,
            patience: patience.map_or(Some(None), |p| p.map(Some))?,
            concurrency,
            slowdown,
            initial_backlog,
            targets: targets?,
            arrivals: arrivals?,
            served_by: Vec::new(),
            aht_windows: Vec::new(),
            variation: crate::model::Variation::default(),
        })
    }

    /// The queue's channel (voice by default); deferred work never abandons.
    fn channel(&mut self, i: usize, q: &QueueSpec) -> Option<Channel> {
        let channel = match &q.channel {
            None => Channel::Voice,
            Some(v) => match Channel::parse(v.get_ref()) {
                Some(c) => c,
                None => {
                    self.p.at(
                        v.span(),
                        format!("queue[{i}].channel"),
                        format!(
                            "{:?} is not a channel; allowed: \"voice\", \"chat\", \"email\", \"case\"",
                            v.get_ref()
                        ),
                    );
                    return None;
                }
            },
        };
        if let (false, Some(p)) = (channel.is_live(), &q.patience) {
            self.p.at(
                p.span(),
                format!("queue[{i}].patience"),
                format!("is not allowed on a {} queue: deferred work does not abandon; remove it", channel.name()),
            );
            return None;
        }
        Some(channel)
    }

    /// Chat concurrency and slowdown, and a deferred queue's initial
    /// backlog (ages in seconds); each refused on a channel it does not fit.
    fn channel_options(&mut self, i: usize, q: &QueueSpec, channel: Channel) -> Option<(u32, f64, Vec<f64>)> {
        let f = |name: &str| format!("queue[{i}].{name}");
        let chat_only = |c: &mut Self, span: std::ops::Range<usize>, name: &str| {
            c.p.at(span, f(name), format!("applies to chat queues only; this queue's channel is {:?}", channel.name()));
        };
        let concurrency = match &q.concurrency {
            None => Some(1),
            Some(v) if !channel.is_concurrent() => {
                chat_only(self, v.span(), "concurrency");
                None
            }
            Some(v) => self.concurrency(v, &f("concurrency")),
        };
        let slowdown = match &q.slowdown {
            None => Some(0.0),
            Some(v) if !channel.is_concurrent() => {
                chat_only(self, v.span(), "slowdown");
                None
            }
            Some(v) => {
                self.number_in(v, &f("slowdown"), 0.0, MAX_SLOWDOWN, &format!("a number from 0 to {MAX_SLOWDOWN}"))
            }
        };
        let backlog = match &q.initial_backlog {
            None => Some(Vec::new()),
            Some(b) if channel.is_live() => {
                self.p.at(
                    b.span(),
                    f("initial_backlog"),
                    format!("applies to email and case queues only; a {} queue starts empty", channel.name()),
                );
                None
            }
            Some(b) => self.initial_backlog(b, &f("initial_backlog")),
        };
        Some((concurrency?, slowdown?, backlog?))
    }

    /// A chat concurrency, 1 to [`MAX_CONCURRENCY`].
    pub(super) fn concurrency(&mut self, v: &Spanned<i64>, field: &str) -> Option<u32> {
        self.int_in(v, field, 1, MAX_CONCURRENCY, &format!("a whole number of chats from 1 to {MAX_CONCURRENCY}"))
            .map(|x| x as u32)
    }

    /// Ages of the initial backlog, seconds: given one by one, or `items`
    /// spread evenly from 0 to twice `mean_age_hours`.
    fn initial_backlog(&mut self, b: &Spanned<BacklogSpec>, field: &str) -> Option<Vec<f64>> {
        let spec = b.get_ref();
        let age_ok = |h: f64| h.is_finite() && (0.0..=24.0 * 366.0).contains(&h);
        match (spec.items, spec.mean_age_hours, &spec.ages_hours) {
            (Some(items), Some(mean), None) if (0..=MAX_BACKLOG_ITEMS).contains(&items) && age_ok(2.0 * mean) => {
                let n = items as usize;
                Some((0..n).map(|k| 2.0 * mean * 3600.0 * (k as f64 + 0.5) / n as f64).collect())
            }
            (None, None, Some(ages)) if ages.len() as i64 <= MAX_BACKLOG_ITEMS && ages.iter().all(|h| age_ok(*h)) => {
                Some(ages.iter().map(|h| h * 3600.0).collect())
            }
            _ => {
                self.p.at(
                    b.span(),
                    field,
                    format!(
                        "is not allowed as written; give either items (0 to {MAX_BACKLOG_ITEMS}) with mean_age_hours (0 to 4392), or ages_hours (a list of ages from 0 to 8784 hours)"
                    ),
                );
                None
            }
        }
    }

    /// The queue's targets; thresholds in seconds (a deferred queue's
    /// `within_hours` too). Keys that do not fit the channel are refused.
    fn targets(&mut self, i: usize, t: &TargetSpec, channel: Channel) -> Option<Targets> {
        let f = |name: &str| format!("queue[{i}].target.{name}");
        let mut ok = true;
        let wrong = |c: &mut Self, v: &Option<Spanned<f64>>, name: &str, allowed: &str| -> bool {
            let Some(v) = v else { return false };
            c.p.at(v.span(), f(name), format!("is not a target of {} queues; {allowed}", channel.name()));
            true
        };
        if channel.is_live() {
            ok &= !wrong(self, &t.within_hours, "within_hours", "use within_s (seconds) on voice and chat queues");
            ok &= !wrong(self, &t.max_backlog, "max_backlog", "max_backlog applies to email and case queues");
        } else {
            ok &= !wrong(self, &t.within_s, "within_s", "use within_hours on email and case queues");
            ok &= !wrong(
                self,
                &t.max_asa_s,
                "max_asa_s",
                "deferred work has no ASA; use service_level with within_hours",
            );
            ok &= !wrong(self, &t.max_abandon, "max_abandon", "deferred work does not abandon");
        }
        let service_level = self.share(&t.service_level, &f("service_level"), false);
        let max_abandon = self.share(&t.max_abandon, &f("max_abandon"), true);
        let max_occupancy = self.share(&t.max_occupancy, &f("max_occupancy"), false);
        let within_s = match (&t.within_s, &t.within_hours) {
            (Some(v), _) if channel.is_live() => {
                self.number_in(v, &f("within_s"), 0.0, 86_400.0, "seconds from 0 to 86400")
            }
            (_, Some(v)) if !channel.is_live() => {
                self.number_in(v, &f("within_hours"), 0.0, 8784.0, "hours from 0 to 8784").map(|h| h * 3600.0)
            }
            _ if channel.is_live() => Some(DEFAULT_WITHIN_S),
            _ => Some(DEFAULT_WITHIN_HOURS * 3600.0),
        };
        let max_asa_s = match &t.max_asa_s {
            Some(v) => self.positive(v, &f("max_asa_s"), "seconds").map(Some),
            None => Some(None),
        };
        let max_backlog = match &t.max_backlog {
            Some(v) => self.number_in(v, &f("max_backlog"), 0.0, 1e9, "items from 0 to 1e9").map(Some),
            None => Some(None),
        };
        if !ok {
            return None;
        }
        Some(Targets {
            service_level: service_level?,
            within_s: within_s?,
            max_asa_s: max_asa_s?,
            max_abandon: max_abandon?,
            max_occupancy: max_occupancy?,
            max_backlog: max_backlog?,
        })
    }

    /// An optional share target: in (0, 1], or [0, 1] with `zero_ok`.
    fn share(&mut self, v: &Option<Spanned<f64>>, field: &str, zero_ok: bool) -> Option<Option<f64>> {
        let Some(v) = v else { return Some(None) };
        let range = if zero_ok { "a share in [0, 1]" } else { "a share in (0, 1]" };
        let x = self.p.number_where(v, field, |x| x <= 1.0 && if zero_ok { x >= 0.0 } else { x > 0.0 }, range)?;
        Some(Some(x))
    }

    pub(super) fn duration(&mut self, v: &Spanned<DurationSpec>, field: &str) -> Option<Duration> {
        let result = match *v.get_ref() {
            DurationSpec::Exponential { mean_s } => Duration::exponential(mean_s),
            DurationSpec::Lognormal { mean_s, cv } => Duration::lognormal(mean_s, cv),
            DurationSpec::Gamma { mean_s, cv } => Duration::gamma(mean_s, cv),
            DurationSpec::Constant { value_s } => Duration::constant(value_s),
        };
        match result {
            Ok(d) => Some(d),
            Err(e) => {
                self.p.at(v.span(), field, e.to_string());
                None
            }
        }
    }

    /// A list of rates, volumes or weights: `len` of them when given, each
    /// from 0 to `most`, at least one above 0.
    pub(super) fn rates(
        &mut self,
        v: &Spanned<Vec<f64>>,
        field: &str,
        len: Option<usize>,
        what: &str,
        most: f64,
    ) -> Option<Vec<f64>> {
        let values = v.get_ref();
        let mut ok = true;
        if let Some(bad) = values.iter().find(|x| !x.is_finite() || **x < 0.0) {
            self.p.at(v.span(), field, format!("contains {}; every {what} must be a finite number ≥ 0", shown(*bad)));
            ok = false;
        } else if let Some(bad) = values.iter().find(|x| **x > most) {
            self.p.at(v.span(), field, format!("contains {}; allowed: every {what} from 0 to {most:e}", shown(*bad)));
            ok = false;
        } else if !values.iter().any(|x| *x > 0.0) {
            self.p.at(v.span(), field, format!("every {what} is zero; at least one must be > 0"));
            ok = false;
        }
        if let Some(len) = len {
            if values.len() != len {
                self.p.at(v.span(), field, format!("has {} values; allowed: exactly {len}", values.len()));
                ok = false;
            }
        }
        ok.then(|| values.clone())
    }

    fn arrivals(
        &mut self,
        i: usize,
        a: &Spanned<ArrivalsSpec>,
        grid: Option<&Grid>,
        minutes: Option<i64>,
    ) -> Option<Vec<RateSegment>> {
        let f = |name: &str| format!("queue[{i}].arrivals.{name}");
        let spec = a.get_ref();
        let per_day = minutes.map(|m| (1440 / m) as usize);
        let tz = match &spec.timezone {
            Some(z) => self.zone(z, &f("timezone")),
            None => grid.map(|g| g.timezone.clone()),
        };
        let modes = [
            spec.rate_per_hour.is_some(),
            spec.rates_per_hour.is_some(),
            spec.daily.is_some() || spec.profile.is_some(),
        ];
        if modes.iter().filter(|m| **m).count() != 1 {
            self.p.at(
                a.span(),
                format!("queue[{i}].arrivals"),
                "gives none or several patterns; allowed: exactly one of rate_per_hour, rates_per_hour, or daily with profile",
            );
            return None;
        }
        // Rate per hour by weekday (Mon = 0) and interval of the local day.
        let shape: WeeklyShape = if let Some(spanned) = &spec.rate_per_hour {
            let r = self.positive(spanned, &f("rate_per_hour"), "contacts per hour")?;
            let allowed = format!("at most {MAX_RATE_PER_HOUR:e} contacts per hour per queue");
            self.number_in(spanned, &f("rate_per_hour"), 0.0, MAX_RATE_PER_HOUR, &allowed)?;
            Box::new(move |_, _| r)
        } else if let Some(r) = &spec.rates_per_hour {
            let rates = self.rates(r, &f("rates_per_hour"), per_day, "rate per hour", MAX_RATE_PER_HOUR)?;
            Box::new(move |_, k| rates[k])
        } else {
            let (Some(daily_spec), Some(profile)) = (&spec.daily, &spec.profile) else {
                self.p.at(a.span(), format!("queue[{i}].arrivals"), "daily and profile go together; give both");
                return None;
            };
            // A day at the highest rate per hour, 25 hours long.
            let most_daily = MAX_RATE_PER_HOUR * 25.0;
            let daily_ok = self.rates(daily_spec, &f("daily"), Some(7), "daily volume", most_daily);
            let profile = self.rates(profile, &f("profile"), per_day, "profile weight", MAX_PROFILE_WEIGHT);
            let (daily, profile) = (daily_ok?, profile?);
            let total: f64 = profile.iter().sum();
            let hours = minutes? as f64 / 60.0;
            let peak =
                daily.iter().copied().fold(0.0, f64::max) * profile.iter().copied().fold(0.0, f64::max) / total / hours;
            if peak > MAX_RATE_PER_HOUR {
                self.p.at(
                    daily_spec.span(),
                    f("daily"),
                    format!(
                        "with this profile peaks at {peak:.0} contacts per hour; allowed: at most {MAX_RATE_PER_HOUR:e} contacts per hour per queue"
                    ),
                );
                return None;
            }
            Box::new(move |w, k| daily[w] * profile[k] / total / hours)
        };
        let shape = self.date_overrides(i, spec, shape, minutes)?;
        let (grid, tz, minutes) = (grid?, tz?, minutes?);
        Some(piecewise_rates(grid, &tz, minutes, shape))
    }
}
