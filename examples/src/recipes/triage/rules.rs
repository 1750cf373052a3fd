//! The keyword rules that classify a ticket by default ([`super::KeywordRules`]): edit [`RULES`]
//! to match your boards.
//!
//! Each rule names the service type and the priority it sets, by name as they appear in Manage.
//! The triage recipe checks before writing anything that every type exists on the board and every
//! priority exists, so a rule that does not fit the tenant stops the run instead of half-applying.
//!
//! Matching is on whole words, without regard to case: the text is split into words of letters and
//! digits, and a keyword (one or more words) matches a run of the same words. `print` does not
//! match "fingerprint", and `e-mail` matches "E-Mail". The first rule with a matching keyword wins,
//! so more urgent rules come first.

/// One classification rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// The classification shown in the note, e.g. "Password reset".
    pub name: &'static str,
    /// Words or phrases that select the rule.
    pub keywords: &'static [&'static str],
    /// The service type to set (a type of the ticket's board).
    pub ticket_type: &'static str,
    /// The priority to set.
    pub priority: &'static str,
    /// The recommended first step, for the note.
    pub next_step: &'static str,
}

/// The rules, most urgent first.
pub const RULES: &[Rule] = &[
    Rule {
        name: "Security incident",
        keywords: &[
            "phishing",
            "suspicious",
            "ransomware",
            "malware",
            "virus",
            "hacked",
            "compromised",
        ],
        ticket_type: "Security",
        priority: "Priority 1 - Emergency Response",
        next_step: "Do not click any links. Pull the message from all mailboxes, check sign-in logs \
                    for the affected users and reset credentials if anything was entered.",
    },
    Rule {
        name: "Outage",
        keywords: &[
            "no internet",
            "outage",
            "server down",
            "network down",
            "site down",
            "everything is down",
        ],
        ticket_type: "Network",
        priority: "Priority 1 - Emergency Response",
        next_step: "Check the firewall and the ISP circuit for the site, then call the contact \
                    with an update.",
    },
    Rule {
        name: "VPN / remote access",
        keywords: &[
            "vpn",
            "anyconnect",
            "forticlient",
            "remote access",
            "remote desktop",
        ],
        ticket_type: "Network",
        priority: "Priority 2 - Quick Response",
        next_step: "Check the VPN gateway logs for the user's disconnects and the client version \
                    on their machine.",
    },
    Rule {
        name: "Password reset",
        keywords: &[
            "password",
            "locked out",
            "account locked",
            "mfa",
            "two factor",
            "2fa",
        ],
        ticket_type: "Password Reset",
        priority: "Priority 2 - Quick Response",
        next_step: "Verify the caller's identity by call-back, then run the password reset \
                    runbook.",
    },
    Rule {
        name: "Printer",
        keywords: &[
            "printer",
            "printers",
            "printing",
            "print",
            "scanner",
            "toner",
            "paper jam",
        ],
        ticket_type: "Printer",
        priority: "Priority 3 - Normal Response",
        next_step: "Check the print queue on the print server and the printer's network \
                    connection.",
    },
    Rule {
        name: "New user",
        keywords: &[
            "new user",
            "new hire",
            "new starter",
            "new employee",
            "onboarding",
            "onboard",
        ],
        ticket_type: "New User",
        priority: "Priority 4 - Schedule Maintenance",
        next_step: "Confirm start date, role and equipment with the contact, then schedule the \
                    onboarding checklist.",
    },
    Rule {
        name: "Email",
        keywords: &["outlook", "email", "e mail", "mailbox", "calendar"],
        ticket_type: "Email",
        priority: "Priority 3 - Normal Response",
        next_step: "Check the mailbox and the Outlook profile; repair the profile if Outlook \
                    crashes on start or on attachments.",
    },
    Rule {
        name: "Hardware",
        keywords: &[
            "laptop", "monitor", "keyboard", "mouse", "dock", "docking", "fan", "battery",
        ],
        ticket_type: "Hardware",
        priority: "Priority 3 - Normal Response",
        next_step: "Check the device's warranty and book a hardware diagnostic.",
    },
];

/// The rule that matched a text, and the keyword that made it match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match {
    /// The rule.
    pub rule: &'static Rule,
    /// The keyword found.
    pub keyword: &'static str,
}

/// The first rule of `rules` with a keyword in `text`, if any.
pub fn classify_with(rules: &'static [Rule], text: &str) -> Option<Match> {
    let words = words(text);
    rules.iter().find_map(|rule| {
        rule.keywords
            .iter()
            .find(|keyword| contains_phrase(&words, &self::words(keyword)))
            .map(|keyword| Match { rule, keyword })
    })
}

/// The first rule of [`RULES`] with a keyword in `text`, if any.
pub fn classify(text: &str) -> Option<Match> {
    classify_with(RULES, text)
}

/// Lower-cased runs of letters and digits.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn contains_phrase(words: &[String], phrase: &[String]) -> bool {
    !phrase.is_empty() && words.windows(phrase.len()).any(|window| window == phrase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule_of(text: &str) -> Option<&'static str> {
        classify(text).map(|found| found.rule.name)
    }

    #[test]
    fn whole_words_only() {
        assert_eq!(rule_of("Fingerprint reader broken"), None);
        assert_eq!(rule_of("Can't PRINT to the 2nd floor"), Some("Printer"));
        assert_eq!(rule_of("E-Mail bounces"), Some("Email"));
        assert_eq!(rule_of("I am locked out"), Some("Password reset"));
        assert_eq!(rule_of("locked doors"), None);
    }

    #[test]
    fn earlier_rules_win() {
        assert_eq!(
            rule_of("Suspicious email asking to reset my password"),
            Some("Security incident")
        );
        assert_eq!(
            rule_of("Reset the password for the shared mailbox"),
            Some("Password reset")
        );
        let found = classify("VPN drops every few minutes").expect("a rule");
        assert_eq!(found.keyword, "vpn");
    }

    #[test]
    fn every_rule_has_keywords_that_can_match() {
        for rule in RULES {
            assert!(!rule.keywords.is_empty(), "{}", rule.name);
            for keyword in rule.keywords {
                assert_eq!(
                    classify_with(std::slice::from_ref(rule), keyword).map(|c| c.rule.name),
                    Some(rule.name),
                    "keyword {keyword:?} of {}",
                    rule.name
                );
            }
        }
    }
}
