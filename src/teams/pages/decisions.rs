//! Deciding leave (the queue of what waits for me) and keeping the lists of specialities and certificate
//! types.

use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{leave_line, LeaveLine};
use crate::error::ServiceError;
use crate::i18n::{Lang, Text};
use crate::org::service::people;
use crate::teams::service::leaves::{self, Decision};
use crate::teams::service::lists;
use crate::web::context::{safe_next, Ctx};
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::typed::{field, Refused, Typed};
use crate::web::{render, Page};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(leave_queue)
        .service(decide_leave)
        .service(lists_page)
        .service(add_speciality)
        .service(add_certificate_type);
}

#[derive(Template)]
#[template(path = "teams/leaves.html")]
struct QueuePage {
    ctx: Ctx,
    leaves: Vec<LeaveLine>,
}

#[get("/teams/leaves")]
async fn leave_queue(page: Page) -> Result<HttpResponse, PageError> {
    page.show(
        |c| Ok((leaves::awaiting(c.conn, c.actor)?, people::names(c.conn)?)),
        |ctx, (waiting, names)| {
            let lang = ctx.lang;
            QueuePage {
                leaves: waiting
                    .iter()
                    .map(|l| {
                        let who = names
                            .iter()
                            .find(|(i, _)| *i == l.person_id)
                            .map(|(_, n)| n.clone());
                        leave_line(l, who.unwrap_or_default(), lang)
                    })
                    .collect(),
                ctx,
            }
        },
    )
    .await
}

#[derive(Deserialize)]
struct DecisionForm {
    decision: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    next: String,
}

#[post("/teams/leaves/{id}")]
async fn decide_leave(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let back = safe_next(Some(&form.next));
    let to = back.clone();
    page.act(
        &back,
        move |c| {
            let decision = match form.decision.as_str() {
                "approve" => Decision::Approve,
                "refuse" => Decision::Refuse,
                "cancel" => Decision::Cancel,
                _ => {
                    return Err(ServiceError::invalid(
                        "decision",
                        "请选择批准、不批准或撤销",
                        "Choose approve, refuse or cancel",
                    ))
                }
            };
            leaves::decide(c.conn, c.actor, c.now, id, decision, &form.note)
        },
        move |l| {
            let text = Text::new(
                format!("请假{}", l.state.label(Lang::Zh)),
                format!("Leave {}", l.state.label(Lang::En).to_lowercase()),
            );
            (text, to)
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "teams/lists.html")]
struct ListsPage {
    ctx: Ctx,
    lists: lists::Lists,
    may_add: bool,
    typed: Typed,
}

impl ListsPage {
    /// A certificate type's name in the page's language.
    fn type_name(&self, code: &str) -> String {
        self.lists
            .certificate_types
            .iter()
            .find(|t| t.code == code)
            .map_or_else(
                || code.to_string(),
                |t| match self.ctx.lang {
                    Lang::Zh => t.name.clone(),
                    Lang::En => t.name_en.clone(),
                },
            )
    }

    /// Whether certificate type `code` was ticked on the refused speciality form.
    fn ticked(&self, code: &str) -> bool {
        self.typed.has("speciality", "requires", code)
    }
}

async fn lists_view(page: &Page, typed: Option<Refused>) -> Result<HttpResponse, PageError> {
    let (ctx, (lists, may_add)) = page
        .run(|c| Ok((lists::lists(c.conn)?, lists::may_add(c.actor))))
        .await?;
    let (typed, status) = Typed::of(typed, ctx.lang, super::LABELS);
    let view = ListsPage {
        lists,
        may_add,
        typed,
        ctx,
    };
    render(&view, status)
}

#[get("/teams/lists")]
async fn lists_page(page: Page) -> Result<HttpResponse, PageError> {
    lists_view(&page, None).await
}

#[post("/teams/lists/specialities")]
async fn add_speciality(
    page: Page,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let typed = fields.clone();
    let saved = page
        .submit(
            move |c| {
                let requires = fields
                    .iter()
                    .filter(|(k, _)| k == "requires")
                    .map(|(_, v)| v.clone())
                    .collect();
                let f = |k| field(&fields, k);
                lists::add_speciality(
                    c.conn,
                    c.actor,
                    c.now,
                    &f("code"),
                    &f("name"),
                    &f("name_en"),
                    requires,
                )
            },
            |_| {
                (
                    Text::new("已添加专长", "Speciality added"),
                    "/teams/lists".into(),
                )
            },
        )
        .await?;
    match saved {
        Ok(done) => Ok(done),
        Err(refusal) => lists_view(&page, Some(Refused::new("speciality", typed, refusal))).await,
    }
}

#[post("/teams/lists/certificate-types")]
async fn add_certificate_type(
    page: Page,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let typed = fields.clone();
    let saved = page
        .submit(
            move |c| {
                let f = |k| field(&fields, k);
                lists::add_certificate_type(
                    c.conn,
                    c.actor,
                    c.now,
                    &f("code"),
                    &f("name"),
                    &f("name_en"),
                )
            },
            |_| {
                (
                    Text::new("已添加证书类型", "Certificate type added"),
                    "/teams/lists".into(),
                )
            },
        )
        .await?;
    match saved {
        Ok(done) => Ok(done),
        Err(refusal) => {
            lists_view(
                &page,
                Some(Refused::new("certificate_type", typed, refusal)),
            )
            .await
        }
    }
}
