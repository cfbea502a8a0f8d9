//! Lookalike checks with thousands of protected domains: each check must stay a handful of
//! hash lookups, whatever the size of the watch pack.
//!
//! Run: `cargo bench -p forewarn-detect --bench lookalike`

use divan::counter::ItemsCount;
use divan::Bencher;
use forewarn_detect::lookalike::LookalikeIndex;
use forewarn_detect::rules::Rules;

fn main() {
    divan::main();
}

/// A watch pack of `n` seeded organizations, each with one protected domain.
fn pack(n: usize) -> Rules {
    let mut text = String::new();
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    for i in 0..n {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let label: String = (0..8 + (state % 6) as usize)
            .map(|k| (b'a' + ((state >> (k * 5)) % 26) as u8) as char)
            .collect();
        text.push_str(&format!("Org {i} | test | {label}{i}.org | Org {i}\n"));
    }
    let mut rules = Rules::default();
    rules.add_watch_pack("bench", &text);
    rules
}

#[divan::bench(args = [100, 1_000, 10_000])]
fn check(bencher: Bencher, n: usize) {
    let rules = pack(n);
    let index = LookalikeIndex::new(&rules.brands, &[]);
    // Unrelated names, typos of protected names and homoglyphs, as a message shows them.
    let mut candidates: Vec<String> = (0..500)
        .map(|i| format!("news{i}.example-mailer.com"))
        .collect();
    for brand in rules.brands.iter().take(250) {
        let domain = &brand.protected[0];
        candidates.push(domain.replacen('a', "4", 1).replacen('o', "0", 1));
        candidates.push(format!("secure-{domain}"));
    }
    bencher
        .counter(ItemsCount::new(candidates.len()))
        .bench(|| {
            candidates
                .iter()
                .filter(|c| index.check(c).is_some())
                .count()
        });
}
