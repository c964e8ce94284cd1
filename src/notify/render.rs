//! Email templates: each kind of notice has `templates/email/<kind>/{subject.txt, body.txt, body.html}`,
//! written in both languages, rendered when the notice is enqueued.

use crate::i18n::Lang;

/// A notice's text in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// One line.
    pub subject: String,
    /// The plain-text part.
    pub text: String,
    /// The HTML part.
    pub html: String,
}

/// Something that can be told in an email.
pub trait Content: Send + Sync {
    /// Renders the subject and both bodies in `lang`, linking to `link` (an absolute URL).
    fn render(&self, lang: Lang, link: &str) -> Result<Rendered, askama::Error>;
}

/// What every email template sees: the language, the link back, and the kind's own data as `m.d`.
#[derive(Debug)]
pub struct Mail<'a, T> {
    /// Chinese (else English).
    pub zh: bool,
    /// The page concerned.
    pub link: &'a str,
    /// The kind's data.
    pub d: &'a T,
}

/// Implements [`Content`] for a type from its three templates.
macro_rules! email_content {
    ($ty:ty, $subject:literal, $text:literal, $html:literal) => {
        const _: () = {
            #[derive(askama::Template)]
            #[template(path = $subject)]
            struct Subject<'a> {
                m: &'a $crate::notify::render::Mail<'a, $ty>,
            }
            #[derive(askama::Template)]
            #[template(path = $text)]
            struct Text<'a> {
                m: &'a $crate::notify::render::Mail<'a, $ty>,
            }
            #[derive(askama::Template)]
            #[template(path = $html)]
            struct Html<'a> {
                m: &'a $crate::notify::render::Mail<'a, $ty>,
            }
            impl $crate::notify::render::Content for $ty {
                fn render(
                    &self,
                    lang: $crate::i18n::Lang,
                    link: &str,
                ) -> Result<$crate::notify::render::Rendered, askama::Error> {
                    use askama::Template;
                    let m = $crate::notify::render::Mail {
                        zh: lang == $crate::i18n::Lang::Zh,
                        link,
                        d: self,
                    };
                    Ok($crate::notify::render::Rendered {
                        subject: $crate::notify::model::one_line(&Subject { m: &m }.render()?),
                        text: Text { m: &m }.render()?,
                        html: Html { m: &m }.render()?,
                    })
                }
            }
        };
    };
}
pub(crate) use email_content;

/// A line of the daily digest: a notice's subject and where to act on it.
#[derive(Debug, Clone)]
pub struct DigestLine {
    /// The notice's subject in the reader's language.
    pub text: String,
    /// Its page.
    pub link: String,
}

/// One kind's lines in the digest.
#[derive(Debug, Clone)]
pub struct DigestSection {
    /// The kind's label.
    pub title: String,
    /// Its lines.
    pub lines: Vec<DigestLine>,
}

/// The daily digest of one unit (already in the reader's language).
#[derive(Debug, Clone)]
pub struct DigestMail {
    /// The unit.
    pub unit: String,
    /// The office's date.
    pub day: String,
    /// What is due, overdue and awaiting action, by kind.
    pub sections: Vec<DigestSection>,
    /// How many lines in all.
    pub total: usize,
}

email_content!(
    DigestMail,
    "email/digest/subject.txt",
    "email/digest/body.txt",
    "email/digest/body.html"
);

/// A test message asked for from a unit's settings.
#[derive(Debug, Clone)]
pub struct TestMail {
    /// The unit whose settings asked.
    pub unit: String,
    /// Who asked.
    pub by: String,
    /// When, office time.
    pub at: String,
}

email_content!(
    TestMail,
    "email/test/subject.txt",
    "email/test/body.txt",
    "email/test/body.html"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_test_mail_renders_in_both_languages_with_its_link() {
        let t = TestMail {
            unit: "区建设局 <R&D>".into(),
            by: "admin".into(),
            at: "2026-11-28 10:00".into(),
        };
        let zh = t.render(Lang::Zh, "https://x.cn/units/3/notices").unwrap();
        let en = t.render(Lang::En, "https://x.cn/units/3/notices").unwrap();
        assert!(zh.subject.contains("测试邮件"), "{}", zh.subject);
        assert!(en.subject.contains("Test email"), "{}", en.subject);
        assert!(!zh.subject.contains('\n'));
        assert!(zh.text.contains("https://x.cn/units/3/notices"));
        assert!(zh.html.contains("href=\"https://x.cn/units/3/notices\""));
        assert!(
            zh.html.contains("区建设局 &#60;R&#38;D&#62;"),
            "HTML is escaped: {}",
            zh.html
        );
        assert!(
            zh.text.contains("区建设局 <R&D>"),
            "plain text is not escaped"
        );
    }
}
