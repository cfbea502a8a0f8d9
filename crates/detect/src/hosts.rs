//! Kinds of hosts that matter to phishing analysis. The lists are short on purpose: the names
//! most abused, from public knowledge of phishing infrastructure.

/// Free mail providers: anyone can have an address there.
pub const FREEMAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "msn.com",
    "yahoo.com",
    "ymail.com",
    "aol.com",
    "icloud.com",
    "me.com",
    "mail.com",
    "gmx.com",
    "gmx.net",
    "gmx.de",
    "web.de",
    "t-online.de",
    "mail.ru",
    "yandex.ru",
    "yandex.com",
    "proton.me",
    "protonmail.com",
    "tutanota.com",
    "zoho.com",
    "qq.com",
    "163.com",
    "126.com",
    "libero.it",
    "orange.fr",
    "laposte.net",
    "free.fr",
    "uol.com.br",
    "bol.com.br",
    "terra.com.br",
    "hotmail.fr",
    "hotmail.es",
    "yahoo.fr",
    "yahoo.es",
    "yahoo.com.br",
    "outlook.fr",
    "outlook.es",
    "rediffmail.com",
    "inbox.ru",
    "bk.ru",
    "list.ru",
    "seznam.cz",
    "wp.pl",
    "o2.pl",
    "interia.pl",
];

/// URL shorteners hide where a link goes.
pub const SHORTENERS: &[&str] = &[
    "bit.ly",
    "bitly.com",
    "tinyurl.com",
    "t.co",
    "goo.gl",
    "is.gd",
    "ow.ly",
    "rebrand.ly",
    "cutt.ly",
    "shorturl.at",
    "rb.gy",
    "t.ly",
    "tiny.cc",
    "s.id",
    "v.gd",
    "buff.ly",
    "bl.ink",
    "shorte.st",
    "adf.ly",
    "qrco.de",
    "lnkd.in",
    "t.me",
    "urlz.fr",
    "x.gd",
    "shorturl.asia",
    "tiny.one",
    "u.to",
    "clck.ru",
    "surl.li",
    "gg.gg",
];

/// App and file hosting where anyone can put up a page under the provider's trusted name in
/// minutes; the usual home of credential-harvesting pages. Matched as a suffix of the host.
pub const APP_HOSTING: &[&str] = &[
    "firebaseapp.com",
    "web.app",
    "firebasestorage.googleapis.com",
    "storage.googleapis.com",
    "appspot.com",
    "pages.dev",
    "workers.dev",
    "r2.dev",
    "netlify.app",
    "vercel.app",
    "glitch.me",
    "herokuapp.com",
    "onrender.com",
    "azurewebsites.net",
    "blob.core.windows.net",
    "web.core.windows.net",
    "000webhostapp.com",
    "ipfs.io",
    "dweb.link",
    "cloudflare-ipfs.com",
    "ngrok.io",
    "ngrok-free.app",
    "trycloudflare.com",
    "replit.app",
    "repl.co",
    "surge.sh",
    "translate.goog",
    "s3.amazonaws.com",
    "amplifyapp.com",
    "cprapid.com",
    "backblazeb2.com",
    "onmicrosoft.com",
    "digitaloceanspaces.com",
    "typedream.app",
    "webflow.io",
    "framer.website",
    // Free web hosting: a site under the provider's name, no payment and no questions.
    "free.nf",
    "rf.gd",
    "epizy.com",
    "wuaze.com",
    "great-site.net",
    "42web.io",
    "infinityfreeapp.com",
    "atwebpages.com",
];

/// Form builders (host, path prefix): anyone can make a form there that asks for a password
/// or personal details, on the provider's trusted name.
pub const FORM_BUILDERS: &[(&str, &str, &str)] = &[
    ("forms.gle", "", "Google Forms"),
    ("docs.google.com", "/forms/", "Google Forms"),
    ("forms.office.com", "", "Microsoft Forms"),
    ("forms.microsoft.com", "", "Microsoft Forms"),
    ("jotform.com", "", "Jotform"),
    ("jotform.me", "", "Jotform"),
    ("typeform.com", "", "Typeform"),
    ("formstack.com", "", "Formstack"),
    ("123formbuilder.com", "", "123FormBuilder"),
    ("wufoo.com", "", "Wufoo"),
    ("cognitoforms.com", "", "Cognito Forms"),
    ("formsite.com", "", "Formsite"),
    ("forms.zohopublic.com", "", "Zoho Forms"),
    ("forms.app", "", "forms.app"),
    ("tally.so", "", "Tally"),
];

/// The form builder a URL (lowercase) leads to, if any.
pub fn form_builder(url: &str) -> Option<&'static str> {
    let rest = url.split_once("://")?.1;
    let (host, path) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next().unwrap_or_default();
    FORM_BUILDERS
        .iter()
        .find(|(h, prefix, _)| under(host, h) && path.starts_with(prefix))
        .map(|(_, _, name)| *name)
}

/// Site builders and project pages: legitimate sites live there too, so they weigh less.
pub const SITE_BUILDERS: &[&str] = &[
    "github.io",
    "gitlab.io",
    "weebly.com",
    "weeblysite.com",
    "wixsite.com",
    "square.site",
    "godaddysites.com",
    "sites.google.com",
    "blogspot.com",
    "notion.site",
    "carrd.co",
    "mystrikingly.com",
    "jimdosite.com",
    "wordpress.com",
    "myshopify.com",
];

/// Top-level domains where most names are registered for abuse (as abuse researchers rank
/// them): cheap, lightly checked, and rarely used by the organizations people correspond with.
pub const ABUSED_TLDS: &[&str] = &[
    "top",
    "xyz",
    "shop",
    "click",
    "sbs",
    "cfd",
    "icu",
    "buzz",
    "monster",
    "rest",
    "bond",
    "cyou",
    "quest",
    "lol",
    "mom",
    "beauty",
    "hair",
    "skin",
    "makeup",
    "boats",
    "autos",
    "yachts",
    "pics",
    "sale",
    "online",
    "site",
    "website",
    "space",
    "fun",
    "store",
    "cam",
    "gq",
    "tk",
    "ml",
    "cf",
    "ga",
    "work",
    "loan",
    "win",
    "bid",
    "date",
    "racing",
    "download",
    "stream",
    "kim",
    "men",
    "party",
    "review",
    "trade",
    "webcam",
    "cricket",
    "science",
    "accountant",
    "faith",
    "zip",
    "mov",
    "country",
    "gdn",
    "bar",
    "casa",
    "vip",
    "life",
];

/// Link rewriters of mail security gateways: the visible text names the real target.
pub const LINK_REWRITERS: &[&str] = &[
    "safelinks.protection.outlook.com",
    "urldefense.proofpoint.com",
    "urldefense.com",
    "linkprotect.cudasvc.com",
    "protect2.fireeye.com",
    "secure-web.cisco.com",
    "protect-eu.mimecast.com",
    "protect-us.mimecast.com",
    "url.uk.m.mimecastprotect.com",
    "scanner.topsec.com",
    "clicktime.symantec.com",
    "eu1.safelinks.protection.outlook.com",
];

/// Whether `host` is `suffix` or a name under it.
pub fn under(host: &str, suffix: &str) -> bool {
    host == suffix
        || host
            .strip_suffix(suffix)
            .is_some_and(|rest| rest.ends_with('.'))
}

pub fn is_freemail(domain: &str) -> bool {
    FREEMAIL.iter().any(|f| under(domain, f))
}

pub fn is_shortener(host: &str) -> bool {
    SHORTENERS.iter().any(|s| under(host, s))
}

/// The app-hosting service a host is under, if any.
pub fn app_hosting(host: &str) -> Option<&'static str> {
    APP_HOSTING
        .iter()
        .copied()
        .find(|s| under(host, s) && host != *s)
}

/// The site builder a host is under, if any.
pub fn site_builder(host: &str) -> Option<&'static str> {
    SITE_BUILDERS
        .iter()
        .copied()
        .find(|s| under(host, s) && host != *s)
}

/// The abused top-level domain a host is under, if any.
pub fn abused_tld(host: &str) -> Option<&'static str> {
    let tld = host.rsplit('.').next()?;
    ABUSED_TLDS.iter().copied().find(|t| *t == tld)
}

pub fn is_link_rewriter(host: &str) -> bool {
    LINK_REWRITERS.iter().any(|r| under(host, r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffix_matching_respects_labels() {
        assert!(under("a.firebaseapp.com", "firebaseapp.com"));
        assert!(!under("notfirebaseapp.com", "firebaseapp.com"));
        assert_eq!(app_hosting("x-1.web.app"), Some("web.app"));
        assert_eq!(app_hosting("web.app"), None);
        assert_eq!(app_hosting("login.acme.free.nf"), Some("free.nf"));
        assert_eq!(abused_tld("promo.example.top"), Some("top"));
        assert!(is_freemail("gmail.com") && !is_freemail("gmail.com.evil.example"));
        assert_eq!(form_builder("https://forms.gle/abc"), Some("Google Forms"));
        assert_eq!(
            form_builder("https://docs.google.com/forms/d/e/x/viewform"),
            Some("Google Forms")
        );
        assert_eq!(form_builder("https://docs.google.com/document/d/x"), None);
        assert_eq!(
            form_builder("https://form.jotform.com/123"),
            Some("Jotform")
        );
    }
}
