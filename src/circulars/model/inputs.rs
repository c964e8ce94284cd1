//! What a circular and a reply must hold, parsed at the edge: the title, the body (plain text whose lines
//! are its paragraphs), the reply form's fields, a reply.

use chrono::{DateTime, Utc};

use super::{CircularReplyMode, CircularUrgency};
use crate::error::ServiceError;
use crate::i18n::Text;
use crate::org::model::{displayable, required_text, Role};

/// The longest body, in characters.
pub const MAX_BODY: usize = 20_000;
/// The most fields a reply form has.
pub const MAX_FIELDS: usize = 10;
/// The longest free-text reply, in characters.
pub const MAX_REPLY: usize = 2_000;
/// The longest value of a reply field, in characters.
pub const MAX_VALUE: usize = 200;

/// A draft as the sender writes it.
#[derive(Debug, Clone)]
pub struct CircularInput {
    pub title: String,
    pub body: String,
    pub urgency: CircularUrgency,
    /// The unit that sends it.
    pub from_unit_id: i64,
    pub ack_due: DateTime<Utc>,
    /// Those with this role in each addressed unit hear it besides the unit's contact addresses.
    pub notify_role: Role,
    pub reply_mode: CircularReplyMode,
    /// A reply may carry a file.
    pub reply_file: bool,
    /// The reply form's fields (for `fields`).
    pub fields: Vec<String>,
    /// The addressed units as picked (resolved against the tree by the service).
    pub pick: super::Pick,
}

/// The body as kept: line ends made `\n`, trailing spaces and blank runs trimmed; control characters
/// (but the line end and tab) and invisible ones refused.
pub fn parse_body(raw: &str) -> Result<String, ServiceError> {
    let text = raw.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.trim();
    if text.is_empty() {
        return Err(ServiceError::invalid(
            "body",
            "请填写正文",
            "The body is required",
        ));
    }
    if text.chars().count() > MAX_BODY {
        return Err(ServiceError::Invalid {
            field: "body",
            message: Text::new(
                format!("正文不能超过 {MAX_BODY} 个字符"),
                format!("The body may have at most {MAX_BODY} characters"),
            ),
        });
    }
    if let Some(c) = text.chars().find(|c| {
        (c.is_control() && *c != '\n' && *c != '\t') || (!c.is_control() && !displayable(*c))
    }) {
        return Err(ServiceError::Invalid {
            field: "body",
            message: Text::new(
                format!("正文含有不可见或无法显示的字符 U+{:04X}", c as u32),
                format!(
                    "The body contains a character that cannot be shown, U+{:04X}",
                    c as u32
                ),
            ),
        });
    }
    Ok(text
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n"))
}

/// The paragraphs of a body: its non-blank lines (an official notice puts each paragraph on a line).
pub fn paragraphs(body: &str) -> Vec<String> {
    body.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// The title: required, one line, at most 100 characters.
pub fn parse_title(raw: &str) -> Result<String, ServiceError> {
    required_text("title", raw, 100)
}

/// The reply form's fields: one label a line, up to ten, each at most 30 characters, no two alike. Only a
/// `fields` reply has them, and it needs one.
pub fn parse_fields(mode: CircularReplyMode, raw: &[String]) -> Result<Vec<String>, ServiceError> {
    let mut out: Vec<String> = Vec::new();
    for r in raw.iter().flat_map(|r| r.lines()) {
        if r.trim().is_empty() {
            continue;
        }
        let label = required_text("fields", r, 30)?;
        if out.contains(&label) {
            return Err(ServiceError::invalid(
                "fields",
                "回执栏目不能重复",
                "Two reply fields have the same name",
            ));
        }
        out.push(label);
    }
    match mode {
        CircularReplyMode::Fields if out.is_empty() => Err(ServiceError::invalid(
            "fields",
            "按栏目回执须至少设置一个栏目（如 值班人员、联系电话）",
            "A reply by fields needs at least one field (e.g. person on duty, phone)",
        )),
        CircularReplyMode::Fields if out.len() > MAX_FIELDS => Err(ServiceError::Invalid {
            field: "fields",
            message: Text::new(
                format!("回执栏目不能超过 {MAX_FIELDS} 个"),
                format!("At most {MAX_FIELDS} reply fields"),
            ),
        }),
        CircularReplyMode::Fields => Ok(out),
        _ => Ok(Vec::new()),
    }
}

/// A reply as a unit sends it.
#[derive(Debug, Clone, Default)]
pub struct ReplyInput {
    pub text: String,
    /// One value per field of the form, in order.
    pub values: Vec<String>,
}

/// A reply checked against the circular's form: nothing to answer when it asks none; free text (or a
/// file, where allowed) for a text reply; every field filled for a reply by fields.
pub fn check_reply(
    mode: CircularReplyMode,
    file_allowed: bool,
    fields: &[String],
    input: &ReplyInput,
    has_file: bool,
) -> Result<ReplyInput, ServiceError> {
    if has_file && !file_allowed {
        return Err(ServiceError::invalid(
            "file",
            "此通知的回执不收附件",
            "This circular's reply takes no file",
        ));
    }
    let text = crate::org::model::optional_text(
        "reply_text",
        &input.text.replace(['\r', '\n'], " "),
        MAX_REPLY,
    )?;
    match mode {
        CircularReplyMode::None => Err(ServiceError::conflict(
            "此通知无需回执，签收即可",
            "This circular asks for no reply; acknowledging it is enough",
        )),
        CircularReplyMode::Text => {
            if text.is_empty() && !has_file {
                return Err(ServiceError::invalid(
                    "reply_text",
                    "请填写回执内容或附上文件",
                    "Write the reply or attach a file",
                ));
            }
            Ok(ReplyInput {
                text,
                values: Vec::new(),
            })
        }
        CircularReplyMode::Fields => {
            if input.values.len() != fields.len() {
                return Err(ServiceError::invalid(
                    "values",
                    "回执栏目数量与通知不符",
                    "The reply's values do not match the circular's fields",
                ));
            }
            let mut values = Vec::new();
            for (label, v) in fields.iter().zip(&input.values) {
                if v.trim().is_empty() {
                    // Name the empty field: a reply form has several, all under one name.
                    return Err(ServiceError::Invalid {
                        field: "values",
                        message: crate::i18n::Text::new(
                            format!("请填写“{label}”"),
                            format!("Fill in “{label}”"),
                        ),
                    });
                }
                values.push(required_text("values", v, MAX_VALUE)?);
            }
            Ok(ReplyInput { text, values })
        }
    }
}

/// The name a person gives when acknowledging through a link: required, at most 30 characters.
pub fn parse_signer(raw: &str) -> Result<String, ServiceError> {
    required_text("name", raw, 30)
}
