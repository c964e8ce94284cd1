//! Values parsed at the edge: names, e-mail addresses, phone numbers, usernames, passwords, unit kinds.

use crate::error::ServiceError;
use crate::i18n::text_enum;

/// Trims `raw` and checks it is present and at most `max` characters.
pub fn required_text(field: &'static str, raw: &str, max: usize) -> Result<String, ServiceError> {
    let v = raw.trim();
    if v.is_empty() {
        return Err(ServiceError::invalid(
            field,
            "此项必填",
            "This field is required",
        ));
    }
    optional_text(field, v, max)
}

/// Trims `raw` and checks it is at most `max` characters (may be empty).
pub fn optional_text(field: &'static str, raw: &str, max: usize) -> Result<String, ServiceError> {
    let v = raw.trim();
    if v.chars().count() > max {
        return Err(ServiceError::Invalid {
            field,
            message: crate::i18n::Text::new(
                format!("不能超过 {max} 个字符"),
                format!("At most {max} characters"),
            ),
        });
    }
    if v.chars().any(|c| c.is_control()) {
        return Err(ServiceError::invalid(
            field,
            "含有不可见的控制字符",
            "Contains control characters",
        ));
    }
    if let Some(c) = v.chars().find(|c| !displayable(*c)) {
        return Err(ServiceError::Invalid {
            field,
            message: crate::i18n::Text::new(
                format!("含有不可见或无法显示的字符 U+{:04X}（零宽字符、方向控制符、私用区或未分配的字符）", c as u32),
                format!(
                    "Contains a character that is invisible or cannot be shown, U+{:04X} (zero-width, direction \
                     control, private-use or unassigned)",
                    c as u32
                ),
            ),
        });
    }
    Ok(v.to_string())
}

/// Whether a character shows as itself: not a format character (zero-width spaces and joiners, byte-order
/// marks, bidirectional overrides), not private-use, not unassigned or a noncharacter. Every assigned CJK
/// ideograph passes, extensions B and later included (they appear in real names).
pub fn displayable(c: char) -> bool {
    use icu_properties::props::GeneralCategory as Gc;
    !matches!(
        icu_properties::CodePointMapData::<Gc>::new().get(c),
        Gc::Format | Gc::PrivateUse | Gc::Unassigned | Gc::Surrogate
    )
}

/// An e-mail address: one `@`, a non-empty local part, a dotted domain, no spaces. Empty is allowed.
pub fn email(field: &'static str, raw: &str) -> Result<String, ServiceError> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(String::new());
    }
    let bad = || ServiceError::invalid(field, "邮箱地址格式不正确", "Not a valid e-mail address");
    let (local, domain) = v.split_once('@').ok_or_else(bad)?;
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
    if local.is_empty()
        || !domain_ok
        || v.len() > 254
        || v.chars().any(|c| c.is_whitespace() || c == ',' || c == ';')
    {
        return Err(bad());
    }
    Ok(v.to_string())
}

/// A list of e-mail addresses separated by commas, semicolons, spaces or new lines; stored comma-separated.
pub fn email_list(field: &'static str, raw: &str) -> Result<String, ServiceError> {
    let mut out: Vec<String> = Vec::new();
    for part in raw
        .split([',', ';', '\n', '\r', ' ', '，', '；'])
        .filter(|p| !p.trim().is_empty())
    {
        let addr = email(field, part)?;
        if !out.contains(&addr) {
            out.push(addr);
        }
    }
    if out.len() > 20 {
        return Err(ServiceError::invalid(
            field,
            "联系邮箱最多 20 个",
            "At most 20 contact addresses",
        ));
    }
    Ok(out.join(","))
}

/// A phone number as people write it: digits with `+ - ( )` and spaces, 3 to 32 characters. Empty is allowed.
pub fn phone(field: &'static str, raw: &str) -> Result<String, ServiceError> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(String::new());
    }
    let digits = v.chars().filter(char::is_ascii_digit).count();
    let allowed = v
        .chars()
        .all(|c| c.is_ascii_digit() || "+-() 转".contains(c));
    if !allowed || digits < 3 || v.chars().count() > 32 {
        return Err(ServiceError::invalid(
            field,
            "电话号码格式不正确",
            "Not a valid phone number",
        ));
    }
    Ok(v.to_string())
}

/// What a name sorts by: its pinyin (拼音) in lower case, syllables apart, other characters as they are,
/// so that 蔡 comes before 张 and 安委办 before 住建局, as people look names up.
pub fn sort_key(name: &str) -> String {
    use pinyin::ToPinyin;
    let mut key = String::with_capacity(name.len() * 3);
    for (c, p) in name.trim().chars().zip(name.trim().to_pinyin()) {
        match p {
            Some(p) => {
                key.push_str(p.plain());
                key.push(' ');
            }
            None => key.extend(c.to_lowercase()),
        }
    }
    key
}

/// A username: 3–32 characters of lower-case letters, digits, `.`, `_` and `-`, starting with a letter or digit.
pub fn username(raw: &str) -> Result<String, ServiceError> {
    let v = raw.trim().to_ascii_lowercase();
    let ok = (3..=32).contains(&v.len())
        && v.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c))
        && v.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    if !ok {
        return Err(ServiceError::invalid(
            "username",
            "用户名须为 3–32 位小写字母、数字或 . _ -，并以字母或数字开头",
            "A username is 3–32 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit",
        ));
    }
    Ok(v)
}

/// A password that meets the policy; never stored, only hashed.
#[derive(Clone)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    /// Minimum length (NIST SP 800-63B asks for at least 8).
    pub const MIN_CHARS: usize = 8;

    /// Checks length (8–128 characters) and that it is not the username.
    pub fn parse(raw: &str, username: &str) -> Result<Password, ServiceError> {
        let n = raw.chars().count();
        if n < Self::MIN_CHARS {
            return Err(ServiceError::invalid(
                "password",
                "密码至少 8 个字符",
                "A password needs at least 8 characters",
            ));
        }
        if n > 128 {
            return Err(ServiceError::invalid(
                "password",
                "密码不能超过 128 个字符",
                "A password has at most 128 characters",
            ));
        }
        if raw.eq_ignore_ascii_case(username) {
            return Err(ServiceError::invalid(
                "password",
                "密码不能与用户名相同",
                "The password must differ from the username",
            ));
        }
        Ok(Password(raw.to_string()))
    }

    /// The secret, for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

text_enum!(
    /// What kind of organisation a unit is.
    UnitKind, "kind", {
        Office = "office", "安委办/应急管理部门", "Office";
        Department = "department", "部门", "Department";
        Street = "street", "街道", "Street office";
        Enterprise = "enterprise", "企业", "Enterprise";
        RescueTeam = "rescue_team", "救援队伍", "Rescue team";
        Other = "other", "其他", "Other";
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_and_undisplayable_characters_are_refused_and_rare_ideographs_kept() {
        for hidden in [
            "\u{200b}",
            "\u{202e}evil",
            "\u{feff}王",
            "\u{e000}",
            "\u{ffff}",
            "张\u{200d}三",
            "\u{2066}x",
        ] {
            assert!(required_text("name", hidden, 100).is_err(), "{hidden:?}");
        }
        // Extension B, C, E and G ideographs, and a name with the middle dot of minority names.
        for name in ["𠀋", "𪜀", "𫠠", "𰀀", "王𠮷", "阿依古丽·买买提"] {
            assert_eq!(required_text("name", name, 100).unwrap(), name);
        }
        assert_eq!(
            required_text("name", "  李娜 ", 100).unwrap(),
            "李娜",
            "still trimmed"
        );
    }

    #[test]
    fn required_text_is_trimmed_and_bounded() {
        assert_eq!(
            required_text("name", "  应急管理局 ", 10).unwrap(),
            "应急管理局"
        );
        assert!(required_text("name", "   ", 10).is_err());
        assert!(required_text("name", "一二三四五六七八九十十", 10).is_err());
        assert!(required_text("name", "a\u{7}b", 10).is_err());
    }

    #[test]
    fn emails_need_a_local_part_and_a_dotted_domain() {
        assert_eq!(
            email("email", " zhang.san@wj.gov.cn ").unwrap(),
            "zhang.san@wj.gov.cn"
        );
        assert_eq!(email("email", "").unwrap(), "");
        for bad in [
            "zhangsan",
            "@wj.gov.cn",
            "a@localhost",
            "a b@x.cn",
            "a@.cn",
            "a@x.cn.",
        ] {
            assert!(email("email", bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn contact_lists_accept_chinese_separators_and_drop_duplicates() {
        assert_eq!(
            email_list("contact_emails", "a@x.cn，b@x.cn；a@x.cn").unwrap(),
            "a@x.cn,b@x.cn"
        );
        assert!(email_list("contact_emails", "a@x.cn, nope").is_err());
    }

    #[test]
    fn names_sort_by_pinyin() {
        let mut names = vec!["张伟", "蔡敏", "安委办", "住建局", "Zhou", "王芳"];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(
            names,
            vec!["安委办", "蔡敏", "王芳", "张伟", "Zhou", "住建局"]
        );
    }

    #[test]
    fn phones_allow_the_ways_people_write_them() {
        for ok in [
            "0512-63001234",
            "+86 138 0000 0000",
            "(0512)63001234",
            "12345转8001",
        ] {
            assert!(phone("phone", ok).is_ok(), "{ok}");
        }
        for bad in ["call me", "12", "1234567890123456789012345678901234"] {
            assert!(phone("phone", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn usernames_are_lower_cased_and_restricted() {
        assert_eq!(username("ZhangSan").unwrap(), "zhangsan");
        for bad in ["ab", "_x1", "张三", "a b c", &"x".repeat(33)] {
            assert!(username(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_need_eight_characters_and_must_differ_from_the_username() {
        assert!(Password::parse("短密码", "zhangsan").is_err());
        assert!(Password::parse("ZhangSan", "zhangsan").is_err());
        assert!(Password::parse("correct horse", "zhangsan").is_ok());
        assert!(Password::parse(&"x".repeat(129), "zhangsan").is_err());
    }

    #[test]
    fn unit_kinds_round_trip_and_unknown_codes_are_refused() {
        for k in UnitKind::ALL {
            assert_eq!(UnitKind::parse(k.code()).unwrap(), *k);
        }
        assert!(UnitKind::parse("spaceship").is_err());
    }
}
