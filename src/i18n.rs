//! Languages and bilingual text: Simplified Chinese by default, English available.

mod allocation;
mod calendar;
mod circulars;
mod drills;
mod duty;
mod inventory;
mod notify;
mod table;
mod teams;

use std::borrow::Cow;

/// A language the product speaks.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Simplified Chinese (the default).
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// Every language, the default first.
    pub const ALL: [Lang; 2] = [Lang::Zh, Lang::En];

    /// The stored code (`zh` / `en`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// Parses a stored or submitted code.
    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "zh-hans" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The HTML `lang` attribute.
    pub fn html_tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Picks the language from an `Accept-Language` header: the best-weighted of zh/en, Chinese when unclear.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|v| v.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let lang = if tag.starts_with("zh") {
                Lang::Zh
            } else if tag.starts_with("en") {
                Lang::En
            } else {
                continue;
            };
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }

    /// The user-interface string for `key` (a visible `?` when it is missing: a gap, not a crash).
    pub fn t(self, key: &str) -> &'static str {
        table::lookup(key, self)
    }

    /// The interface string for `key` if there is one (for keys made at run time, such as field names).
    pub fn find(self, key: &str) -> Option<&'static str> {
        table::find(key, self)
    }
}

/// A value stored and exchanged as a short text code (`posted`, `zh`): how stores read and write it.
pub trait Coded: Sized + Copy + 'static {
    /// The stored code.
    fn code(self) -> &'static str;
    /// Reads a stored or submitted code.
    fn from_code(code: &str) -> Option<Self>;
}

impl Coded for Lang {
    fn code(self) -> &'static str {
        Lang::code(self)
    }

    fn from_code(code: &str) -> Option<Self> {
        Lang::parse(code)
    }
}

/// Declares an enum stored as text codes, with labels in both languages, a parser whose error names the
/// field and the accepted codes, JSON as its code, and an OpenAPI schema listing the codes.
macro_rules! text_enum {
    ($(#[$m:meta])* $name:ident, $field:literal, { $($(#[$vm:meta])* $variant:ident = $code:literal, $zh:literal, $en:literal;)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vm])* $variant),+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored code.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The label in `lang`.
            pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
                match (self, lang) {
                    $(($name::$variant, crate::i18n::Lang::Zh) => $zh, ($name::$variant, crate::i18n::Lang::En) => $en),+
                }
            }

            /// Parses a stored or submitted code.
            pub fn parse(code: &str) -> Result<$name, crate::error::ServiceError> {
                match code.trim() {
                    $($code => Ok($name::$variant),)+
                    other => Err(crate::error::ServiceError::Invalid {
                        field: $field,
                        message: crate::i18n::Text::new(
                            format!("未知的取值 `{other}`，可选：{}", [$($code),+].join(", ")),
                            format!("Unknown value `{other}`; expected one of: {}", [$($code),+].join(", ")),
                        ),
                    }),
                }
            }
        }

        impl crate::i18n::Coded for $name {
            fn code(self) -> &'static str {
                $name::code(self)
            }

            fn from_code(code: &str) -> Option<Self> {
                $name::parse(code).ok()
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let code = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                $name::parse(&code).map_err(|_| {
                    serde::de::Error::custom(format!(
                        "unknown {} `{code}`; expected one of: {}",
                        $field,
                        [$($code),+].join(", ")
                    ))
                })
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($code),+]))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}
    };
}
pub(crate) use text_enum;

/// A message in both languages, chosen when it is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// Chinese.
    pub zh: Cow<'static, str>,
    /// English.
    pub en: Cow<'static, str>,
}

impl Text {
    /// A message with both texts.
    pub fn new(zh: impl Into<Cow<'static, str>>, en: impl Into<Cow<'static, str>>) -> Self {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_highest_weighted_supported_language() {
        assert_eq!(
            Lang::from_accept_language("en-US,en;q=0.9,zh-CN;q=0.8"),
            Lang::En
        );
        assert_eq!(
            Lang::from_accept_language("zh-CN,zh;q=0.9,en;q=0.8"),
            Lang::Zh
        );
        assert_eq!(Lang::from_accept_language("fr-FR,en;q=0.5"), Lang::En);
        assert_eq!(Lang::from_accept_language("de"), Lang::Zh);
        assert_eq!(Lang::from_accept_language(""), Lang::Zh);
    }

    #[test]
    fn every_interface_key_has_both_languages() {
        for (key, zh, en) in table::ENTRIES {
            assert!(
                !zh.is_empty() && !en.is_empty(),
                "{key} lacks a translation"
            );
        }
        assert_eq!(Lang::En.t("nav.units"), "Units");
        assert_eq!(Lang::Zh.t("nav.units"), "单位");
    }
}
