//! Fitting the weights of [`crate::model`] on labelled mail, and measuring them honestly.
//!
//! The model is logistic regression over the features messages show, with an L2 penalty and
//! every feature weight kept at or above zero (a cue may fail to matter, but it never argues
//! that a message is legitimate, so an attacker gains nothing by adding cues). It is fitted by
//! coordinate descent, in a fixed order, so the same observations give the same weights.
//! Phishing and legitimate mail weigh the same in total, whatever their counts.
//!
//! Thresholds are calibrated on scores the model never saw: the training mail is split into
//! folds grouped by sender domain, each fold is scored by a model fitted on the others, and
//! `suspicious_at` is the lowest score that flags at most the allowed share of legitimate mail
//! among those out-of-fold scores.

use std::collections::{BTreeMap, HashMap};

use crate::model::{Feature, Weights, POINTS_PER_LOGIT};

/// One labelled message, as the model sees it.
#[derive(Debug, Clone)]
pub struct Observation {
    /// Feature key and the points it has if not fitted.
    pub features: Vec<(String, u32)>,
    pub phishing: bool,
    /// Messages of one group never sit on both sides of a fold (a campaign, a sender domain).
    pub group: String,
    /// The corpus or feed it came from.
    pub source: String,
    /// The message within its source (a file name).
    pub id: String,
}

impl Observation {
    pub fn new(
        features: &[Feature],
        phishing: bool,
        group: String,
        source: String,
        id: String,
    ) -> Self {
        Observation {
            features: features.iter().map(|f| (f.key.clone(), f.prior)).collect(),
            phishing,
            group,
            source,
            id,
        }
    }

    /// The score `weights` give this message, exactly as [`crate::Scoring`] computes it.
    pub fn score(&self, weights: &Weights) -> u32 {
        self.features
            .iter()
            .map(|(key, prior)| weights.points_of(key, *prior).0)
            .sum::<u32>()
            .min(100)
    }
}

/// The detector a feature key belongs to (`combination` for combinations).
pub fn detector_of(key: &str) -> &str {
    key.split(['.', ':']).next().unwrap_or(key)
}

#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// The L2 penalty on each weight, in units of messages.
    pub l2: f64,
    /// How much more a legitimate message weighs in the fit than a phishing one, after the
    /// classes are balanced: the thresholds sit where almost no legitimate mail is, so a
    /// feature that legitimate mail shows must cost more than log-loss alone makes it.
    pub ham_weight: f64,
    /// A feature is fitted only when at least this many training messages show it.
    pub min_support: usize,
    /// Folds for calibrating thresholds and for cross-validation.
    pub folds: usize,
    pub seed: u64,
    /// The share of legitimate mail `suspicious_at` may flag.
    pub ham_flagged_at_most: f64,
    pub sweeps: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            l2: 2.0,
            ham_weight: 10.0,
            min_support: 3,
            folds: 5,
            seed: 5322,
            ham_flagged_at_most: 0.001,
            sweeps: 300,
        }
    }
}

impl Options {
    pub fn describe(&self) -> String {
        format!(
            "l2={} ham-weight={} min-support={} folds={} seed={} ham-flagged-at-most={} sweeps={}",
            self.l2,
            self.ham_weight,
            self.min_support,
            self.folds,
            self.seed,
            self.ham_flagged_at_most,
            self.sweeps
        )
    }
}

/// Fits weights on `observations` and calibrates their thresholds on out-of-fold scores.
pub fn fit(observations: &[&Observation], options: &Options) -> Weights {
    let (bias, features) = fit_weights(observations, options);
    let folds = grouped_folds(observations, options.folds, options.seed);
    let mut ham = Vec::new();
    for fold in 0..options.folds {
        let train = outside(observations, &folds, fold);
        let (_, inner) = fit_weights(&train, options);
        let inner = Weights {
            features: inner,
            ..Weights::empty()
        };
        ham.extend(
            observations
                .iter()
                .zip(&folds)
                .filter(|(o, f)| **f == fold && !o.phishing)
                .map(|(o, _)| o.score(&inner)),
        );
    }
    let (suspicious_at, malicious_at) = calibrate(&ham, options.ham_flagged_at_most);
    Weights {
        bias,
        suspicious_at,
        malicious_at,
        features,
        ..Weights::empty()
    }
}

impl Weights {
    /// No weights, and the thresholds prior points were set against (so that they count as
    /// they are while thresholds are being calibrated).
    fn empty() -> Weights {
        Weights {
            version: String::new(),
            bias: 0.0,
            suspicious_at: 30,
            malicious_at: 70,
            features: HashMap::new(),
            notes: Vec::new(),
        }
    }
}

/// The observations whose fold is not `fold`.
fn outside<'o>(
    observations: &[&'o Observation],
    folds: &[usize],
    fold: usize,
) -> Vec<&'o Observation> {
    observations
        .iter()
        .zip(folds)
        .filter(|(_, f)| **f != fold)
        .map(|(o, _)| *o)
        .collect()
}

/// The lowest score that flags at most `rate` of `ham`, and the lowest that flags none and is
/// at least one log-odds unit above it.
pub fn calibrate(ham: &[u32], rate: f64) -> (u32, u32) {
    let allowed = (rate * ham.len() as f64).floor() as usize;
    let flagged_at = |t: u32| ham.iter().filter(|s| **s >= t).count();
    let suspicious = (1..=100).find(|t| flagged_at(*t) <= allowed).unwrap_or(100);
    // Malicious asks for more: no legitimate message at all, and odds e times higher.
    let malicious = (suspicious + POINTS_PER_LOGIT as u32..=100)
        .find(|t| flagged_at(*t) == 0)
        .unwrap_or(100)
        .max(suspicious);
    (suspicious, malicious)
}

/// Assigns each observation a fold so that a group never spans two folds: groups, largest
/// first (ties broken by a seeded hash), each go to the fold that holds fewest messages.
pub fn grouped_folds(observations: &[&Observation], folds: usize, seed: u64) -> Vec<usize> {
    let folds = folds.max(1);
    let mut sizes: BTreeMap<&str, usize> = BTreeMap::new();
    for o in observations {
        *sizes.entry(o.group.as_str()).or_default() += 1;
    }
    let mut groups: Vec<(&str, usize)> = sizes.into_iter().collect();
    groups.sort_by_key(|(name, size)| (std::cmp::Reverse(*size), fnv(seed, name)));
    let mut load = vec![0usize; folds];
    let mut fold_of: HashMap<&str, usize> = HashMap::new();
    for (name, size) in groups {
        let fold = (0..folds).min_by_key(|f| (load[*f], *f)).unwrap_or(0);
        load[fold] += size;
        fold_of.insert(name, fold);
    }
    observations
        .iter()
        .map(|o| fold_of[o.group.as_str()])
        .collect()
}

/// FNV-1a, seeded: stable across platforms and releases, unlike the standard hasher.
fn fnv(seed: u64, text: &str) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325u64 ^ seed;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// The bias and the feature weights, in log-odds.
fn fit_weights(observations: &[&Observation], options: &Options) -> (f64, HashMap<String, f64>) {
    let mut support: BTreeMap<&str, usize> = BTreeMap::new();
    for o in observations {
        for (key, _) in &o.features {
            *support.entry(key.as_str()).or_default() += 1;
        }
    }
    let keys: Vec<&str> = support
        .into_iter()
        .filter(|(_, n)| *n >= options.min_support)
        .map(|(k, _)| k)
        .collect();
    let index: HashMap<&str, usize> = keys.iter().enumerate().map(|(n, k)| (*k, n)).collect();
    let mut columns: Vec<Vec<usize>> = vec![Vec::new(); keys.len()];
    let mut offset = vec![0.0; observations.len()];
    for (i, o) in observations.iter().enumerate() {
        for (key, prior) in &o.features {
            match index.get(key.as_str()) {
                Some(j) => columns[*j].push(i),
                None => offset[i] += f64::from(*prior) / POINTS_PER_LOGIT,
            }
        }
    }
    let phishing = observations.iter().filter(|o| o.phishing).count().max(1) as f64;
    let ham = observations.iter().filter(|o| !o.phishing).count().max(1) as f64;
    let total = observations.len() as f64;
    let weight: Vec<f64> = observations
        .iter()
        .map(|o| {
            if o.phishing {
                total / (2.0 * phishing)
            } else {
                options.ham_weight * total / (2.0 * ham)
            }
        })
        .collect();
    let label: Vec<f64> = observations
        .iter()
        .map(|o| f64::from(u8::from(o.phishing)))
        .collect();
    let mut w = vec![0.0; keys.len()];
    let mut bias = 0.0;
    let mut margin = offset.clone();
    for _ in 0..options.sweeps {
        let mut largest_step: f64 = 0.0;
        // The bias: a Newton step over all messages, not penalized.
        let (mut g, mut h) = (0.0, 1e-9);
        for i in 0..observations.len() {
            let p = sigmoid(margin[i]);
            g += weight[i] * (p - label[i]);
            h += weight[i] * p * (1.0 - p);
        }
        let step = g / h;
        bias -= step;
        largest_step = largest_step.max(step.abs());
        for m in &mut margin {
            *m -= step;
        }
        for (j, rows) in columns.iter().enumerate() {
            let (mut g, mut h) = (options.l2 * w[j], options.l2);
            for &i in rows {
                let p = sigmoid(margin[i]);
                g += weight[i] * (p - label[i]);
                h += weight[i] * p * (1.0 - p);
            }
            let new = (w[j] - g / h).max(0.0);
            let delta = new - w[j];
            if delta != 0.0 {
                w[j] = new;
                for &i in rows {
                    margin[i] += delta;
                }
            }
            largest_step = largest_step.max(delta.abs());
        }
        if largest_step < 1e-7 {
            break;
        }
    }
    // Weights are written to four decimals; round here so a refit compares equal to its file.
    let round = |x: f64| (x * 1e4).round() / 1e4;
    (
        round(bias),
        keys.iter()
            .zip(w)
            .map(|(k, w)| ((*k).to_owned(), round(w)))
            .collect(),
    )
}

/// How each message fared when scored by a model fitted without its fold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scored {
    pub fold: usize,
    pub score: u32,
    pub flagged: bool,
    pub malicious: bool,
}

/// Grouped k-fold cross-validation: every observation scored by a model (weights and
/// thresholds) fitted and calibrated without its fold.
pub fn cross_validate(observations: &[&Observation], options: &Options) -> Vec<Scored> {
    let folds = grouped_folds(observations, options.folds, options.seed);
    let mut out = vec![
        Scored {
            fold: 0,
            score: 0,
            flagged: false,
            malicious: false,
        };
        observations.len()
    ];
    for fold in 0..options.folds {
        let train = outside(observations, &folds, fold);
        let model = fit(&train, options);
        for (i, o) in observations.iter().enumerate() {
            if folds[i] == fold {
                out[i] = judge(o, &model, fold);
            }
        }
    }
    out
}

/// Scores `held_out` with a model fitted on `train`.
pub fn held_out(
    train: &[&Observation],
    held_out: &[&Observation],
    options: &Options,
) -> Vec<Scored> {
    let model = fit(train, options);
    held_out.iter().map(|o| judge(o, &model, 0)).collect()
}

fn judge(o: &Observation, model: &Weights, fold: usize) -> Scored {
    let score = o.score(model);
    Scored {
        fold,
        score,
        flagged: score >= model.suspicious_at,
        malicious: score >= model.malicious_at,
    }
}

/// The share flagged per source, over all folds, with the mean and standard deviation of the
/// per-fold shares (folds holding none of the source are left out).
#[derive(Debug, Clone, PartialEq)]
pub struct Rate {
    pub messages: usize,
    pub flagged: usize,
    pub fold_mean: f64,
    pub fold_sd: f64,
}

pub fn rates(observations: &[&Observation], scored: &[Scored]) -> BTreeMap<String, Rate> {
    let mut by: BTreeMap<String, BTreeMap<usize, (usize, usize)>> = BTreeMap::new();
    for (o, s) in observations.iter().zip(scored) {
        let cell = by
            .entry(o.source.clone())
            .or_default()
            .entry(s.fold)
            .or_default();
        cell.0 += 1;
        cell.1 += usize::from(s.flagged);
    }
    by.into_iter()
        .map(|(source, folds)| {
            let shares: Vec<f64> = folds.values().map(|(n, f)| *f as f64 / *n as f64).collect();
            let mean = shares.iter().sum::<f64>() / shares.len() as f64;
            let var = shares.iter().map(|s| (s - mean).powi(2)).sum::<f64>()
                / (shares.len().max(2) - 1) as f64;
            let rate = Rate {
                messages: folds.values().map(|(n, _)| n).sum(),
                flagged: folds.values().map(|(_, f)| f).sum(),
                fold_mean: mean,
                fold_sd: var.sqrt(),
            };
            (source, rate)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(features: &[&str], phishing: bool, group: &str) -> Observation {
        Observation {
            features: features.iter().map(|k| ((*k).to_owned(), 30)).collect(),
            phishing,
            group: group.to_owned(),
            source: if phishing { "p" } else { "h" }.to_owned(),
            id: String::new(),
        }
    }

    fn corpus() -> Vec<Observation> {
        let mut all = Vec::new();
        for n in 0..200 {
            let group = format!("g{}", n % 37);
            // A strong cue in most phishing, a weak one shared with ham.
            let mut phish = vec!["strong"];
            if n % 3 == 0 {
                phish.push("shared");
            }
            if n % 10 == 0 {
                phish.clear();
            }
            all.push(obs(&phish, true, &group));
            all.push(obs(
                if n % 4 == 0 { &["shared"] } else { &[] },
                false,
                &group,
            ));
        }
        all
    }

    #[test]
    fn the_fit_weighs_what_separates_and_is_the_same_each_time() {
        let all = corpus();
        let refs: Vec<&Observation> = all.iter().collect();
        let options = Options::default();
        let one = fit(&refs, &options);
        assert_eq!(one, fit(&refs, &options));
        assert!(
            one.features["strong"] > 2.0 * one.features["shared"],
            "{one:?}"
        );
        assert!(one.features.values().all(|w| *w >= 0.0));
        assert!(one.bias < 0.0);
    }

    #[test]
    fn a_cue_seen_only_in_ham_weighs_nothing() {
        let mut all = corpus();
        for n in 0..20 {
            all.push(obs(&["newsletter"], false, &format!("n{n}")));
        }
        let refs: Vec<&Observation> = all.iter().collect();
        assert_eq!(fit(&refs, &Options::default()).features["newsletter"], 0.0);
    }

    #[test]
    fn folds_never_split_a_group_and_stay_balanced() {
        let all = corpus();
        let refs: Vec<&Observation> = all.iter().collect();
        let folds = grouped_folds(&refs, 5, 1);
        let mut of_group: HashMap<&str, usize> = HashMap::new();
        for (o, f) in refs.iter().zip(&folds) {
            assert_eq!(*of_group.entry(o.group.as_str()).or_insert(*f), *f);
        }
        for fold in 0..5 {
            let n = folds.iter().filter(|f| **f == fold).count();
            assert!((60..=100).contains(&n), "fold {fold} holds {n}");
        }
    }

    #[test]
    fn calibration_flags_at_most_the_allowed_share() {
        let ham: Vec<u32> = (0..2000).map(|n| n % 50).chain([70, 90, 95]).collect();
        assert_eq!(calibrate(&ham, 0.001), (71, 96));
        assert_eq!(calibrate(&[10, 20], 0.001), (21, 31));
        assert_eq!(calibrate(&[], 0.001), (1, 11));
    }

    #[test]
    fn unfitted_cues_keep_their_prior_points() {
        let o = obs(&["strong", "rare"], true, "g");
        let weights = Weights {
            features: HashMap::from([("strong".to_owned(), 2.04)]),
            ..Weights::empty()
        };
        assert_eq!(o.score(&weights), 20 + 30);
    }
}
