//! The overview, the plan registry (list, new, a plan with its file and revision), the frequency table and a
//! unit's sector.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use askama::Template;

use super::{choices, date_field, get, id_field};
use crate::attachments::{Upload, MAX_BYTES, SCANS};
use crate::clock::today;
use crate::drills::model::{check_months, DrillSector, PlanInput, PlanLevel, PlanRaw};
use crate::drills::service::compliance::{self, DrillComplianceReport};
use crate::drills::service::drills::{list as drill_list, DrillListRow};
use crate::drills::service::registry::{
    self as service, DrillPlanView, DrillRuleRow, DrillUnitProfile,
};
use crate::drills::service::{manages_any, visible_units};
use crate::error::ServiceError;
use crate::i18n::Text;
use crate::web::auth::request_lang;
use crate::web::context::Ctx;
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::upload::read_form;
use crate::web::{render, InLang, Page, Refusal};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(overview)
        .service(plans_page)
        .service(new_plan)
        .service(create_plan)
        .service(rules_page)
        .service(set_rule)
        .service(profile_page)
        .service(set_profile)
        .service(plan_page)
        .service(revise_plan)
        .service(upload_file)
        .service(download_file);
}

#[derive(Template)]
#[template(path = "drills/overview.html")]
struct Overview {
    ctx: Ctx,
    report: DrillComplianceReport,
    upcoming: Vec<(DrillListRow, String)>,
    /// Drills of the last `RECENT_DAYS`, latest first (held, evaluated, cancelled), each linked.
    recent: Vec<(DrillListRow, String)>,
    may_manage: bool,
    overdue_units: usize,
}

/// How far back the overview lists drills already begun.
const RECENT_DAYS: i64 = 180;

/// 应急演练: the district's (or the unit's) compliance at a glance and the drills ahead.
#[get("/drills")]
async fn overview(page: Page) -> Result<HttpResponse, PageError> {
    page.show(
        |c| {
            let day = today(c.now, c.tz);
            let report = compliance::report(c.conn, c.actor, day, c.tz, None)?;
            let tz = c.tz;
            let shown = |d: DrillListRow| {
                let when = super::shown(d.drill.starts_at, tz);
                (d, when)
            };
            let upcoming =
                drill_list(c.conn, c.actor, day, day + chrono::Duration::days(92), c.tz)?
                    .into_iter()
                    .map(shown)
                    .collect();
            let recent = drill_list(
                c.conn,
                c.actor,
                day - chrono::Duration::days(RECENT_DAYS),
                day,
                c.tz,
            )?
            .into_iter()
            .rev()
            .map(shown)
            .collect();
            Ok((report, upcoming, recent, manages_any(c.actor)))
        },
        |ctx, (report, upcoming, recent, may_manage)| Overview {
            ctx,
            overdue_units: report.units.iter().filter(|u| u.overdue_plans > 0).count(),
            report,
            upcoming,
            recent,
            may_manage,
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "drills/plans.html")]
struct PlansPage {
    ctx: Ctx,
    plans: Vec<DrillPlanView>,
    may_manage: bool,
}

/// 应急预案: the plans the viewer may see, each with where it stands.
#[get("/drills/plans")]
async fn plans_page(page: Page) -> Result<HttpResponse, PageError> {
    page.show(
        |c| {
            let day = today(c.now, c.tz);
            Ok((
                service::plans(c.conn, c.actor, None, false, day, c.tz)?,
                manages_any(c.actor),
            ))
        },
        |ctx, (plans, may_manage)| PlansPage {
            ctx,
            plans,
            may_manage,
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "drills/plan_form.html")]
struct PlanForm {
    ctx: Ctx,
    action: String,
    fields: Vec<(String, String)>,
    units: Vec<(i64, String)>,
    levels: Vec<(&'static str, &'static str)>,
    error: Option<String>,
}

impl PlanForm {
    fn field(&self, name: &str) -> &str {
        get(&self.fields, name)
    }
}

/// The units the viewer may register plans for.
fn managed_units(c: &mut crate::web::Call<'_>) -> crate::error::ServiceResult<Vec<(i64, String)>> {
    let visible = visible_units(c.conn, c.actor)?;
    let mut out = Vec::new();
    for (id, name) in crate::org::service::units::names(c.conn, true)? {
        if visible.as_ref().is_none_or(|v| v.contains(&id))
            && crate::drills::service::rights(c.conn, c.actor, id)?.manage
        {
            out.push((id, name));
        }
    }
    Ok(out)
}

async fn plan_form(
    page: &Page,
    typed: Option<(Vec<(String, String)>, Refusal)>,
) -> Result<HttpResponse, PageError> {
    let (ctx, units) = page.run(managed_units).await?;
    let lang = ctx.lang;
    let status = typed.as_ref().map_or(StatusCode::OK, |(_, r)| r.status);
    let (fields, error) = match typed {
        Some((f, r)) => (f, Some(r.message)),
        None => (
            vec![
                ("revision_months".into(), "36".into()),
                ("level".into(), "enterprise_comprehensive".into()),
            ],
            None,
        ),
    };
    let view = PlanForm {
        action: "/drills/plans/new".into(),
        fields,
        units,
        levels: choices!(PlanLevel, lang),
        error,
        ctx,
    };
    render(&view, status)
}

/// The form to register a plan.
#[get("/drills/plans/new")]
async fn new_plan(page: Page) -> Result<HttpResponse, PageError> {
    plan_form(&page, None).await
}

fn plan_input(
    fields: &[(String, String)],
    unit: i64,
    day: chrono::NaiveDate,
) -> crate::error::ServiceResult<PlanInput> {
    let number = |k: &'static str| -> crate::error::ServiceResult<Option<i64>> {
        match get(fields, k).trim() {
            "" => Ok(None),
            v => v
                .parse()
                .map(Some)
                .map_err(|_| ServiceError::invalid(k, "请填写整数", "Enter a whole number")),
        }
    };
    PlanInput::parse(
        unit,
        PlanLevel::parse(get(fields, "level"))?,
        date_field("approved_on", get(fields, "approved_on"))?,
        get(fields, "filed") == "yes",
        PlanRaw {
            title: get(fields, "title"),
            version: get(fields, "version"),
            filing_no: get(fields, "filing_no"),
            revision_months: number("revision_months")?,
            freq_months: number("freq_months")?,
        },
        day,
    )
}

/// Registers a plan; refused, the form comes back with what was typed.
#[post("/drills/plans/new")]
async fn create_plan(
    page: Page,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let typed = fields.clone();
    let saved = page
        .submit(
            move |c| {
                let day = today(c.now, c.tz);
                let unit = id_field("unit_id", get(&fields, "unit_id"))?;
                service::create_plan(
                    c.conn,
                    c.actor,
                    c.now,
                    day,
                    c.tz,
                    plan_input(&fields, unit, day)?,
                )
            },
            |p| {
                (
                    Text::new("已登记应急预案", "Plan registered"),
                    format!("/drills/plans/{}", p.plan.id),
                )
            },
        )
        .await?;
    match saved {
        Ok(done) => Ok(done),
        Err(refusal) => plan_form(&page, Some((typed, refusal))).await,
    }
}

#[derive(Template)]
#[template(path = "drills/plan.html")]
struct PlanPage {
    ctx: Ctx,
    v: DrillPlanView,
    drills: Vec<(i64, String, String, String)>,
    levels: Vec<(&'static str, &'static str)>,
    error: Option<String>,
    fields: Vec<(String, String)>,
}

impl PlanPage {
    fn field(&self, name: &str) -> &str {
        get(&self.fields, name)
    }
}

async fn plan_view(
    page: &Page,
    id: i64,
    typed: Option<(Vec<(String, String)>, Refusal)>,
) -> Result<HttpResponse, PageError> {
    let (ctx, (v, drills)) = page
        .run(move |c| {
            let v = service::plan(c.conn, c.actor, id, today(c.now, c.tz), c.tz)?;
            let lang = c.actor.lang;
            let drills = v
                .drills
                .iter()
                .map(|d| {
                    (
                        d.id,
                        d.title.clone(),
                        super::shown(d.starts_at, c.tz),
                        d.state.label(lang).to_string(),
                    )
                })
                .collect();
            Ok((v, drills))
        })
        .await?;
    let lang = ctx.lang;
    let status = typed.as_ref().map_or(StatusCode::OK, |(_, r)| r.status);
    let (fields, error) = match typed {
        Some((f, r)) => (f, Some(r.message)),
        None => (
            vec![
                ("level".into(), v.plan.level.code().into()),
                ("title".into(), v.plan.title.clone()),
                ("version".into(), v.plan.version.clone()),
                ("approved_on".into(), v.plan.approved_on.to_string()),
                (
                    "filed".into(),
                    if v.plan.filed {
                        "yes".into()
                    } else {
                        String::new()
                    },
                ),
                ("filing_no".into(), v.plan.filing_no.clone()),
                ("revision_months".into(), v.plan.revision_months.to_string()),
                ("freq_months".into(), v.plan.freq_months.to_string()),
            ],
            None,
        ),
    };
    let view = PlanPage {
        v,
        drills,
        levels: choices!(PlanLevel, lang),
        error,
        fields,
        ctx,
    };
    render(&view, status)
}

/// A plan: where it stands, its drills, its file, and (for those who manage it) the revision form.
#[get("/drills/plans/{id}")]
async fn plan_page(page: Page, id: web::Path<i64>) -> Result<HttpResponse, PageError> {
    plan_view(&page, id.into_inner(), None).await
}

/// Records a revision of a plan (or retires it).
#[post("/drills/plans/{id}")]
async fn revise_plan(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let typed = fields.clone();
    let saved = page
        .submit(
            move |c| {
                let day = today(c.now, c.tz);
                let unit = service::plan(c.conn, c.actor, id, day, c.tz)?.plan.unit_id;
                let input = plan_input(&fields, unit, day)?;
                let active = get(&fields, "retire") != "yes";
                service::update_plan(c.conn, c.actor, c.now, c.tz, id, input, active)
            },
            move |_| {
                (
                    Text::new("已保存预案修订", "Plan revision saved"),
                    format!("/drills/plans/{id}"),
                )
            },
        )
        .await?;
    match saved {
        Ok(done) => Ok(done),
        Err(refusal) => plan_view(&page, id, Some((typed, refusal))).await,
    }
}

/// Attaches the plan's file.
#[post("/drills/plans/{id}/file")]
async fn upload_file(
    page: Page,
    id: web::Path<i64>,
    form: Multipart,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let lang = request_lang(page.request());
    let mut sent = read_form(form, page.request(), "file", MAX_BYTES)
        .await
        .page(lang)?;
    let back = format!("/drills/plans/{id}");
    let to = back.clone();
    page.act(
        &back,
        move |c| {
            if sent.too_large {
                return Err(ServiceError::invalid(
                    "file",
                    "文件不能超过 5 MB",
                    "The file may be at most 5 MB",
                ));
            }
            let (name, bytes) = sent.file.take().ok_or_else(|| {
                ServiceError::invalid("file", "请选择预案文件", "Choose the plan's file")
            })?;
            let upload = Upload::check("file", &name, bytes, SCANS)?;
            service::attach_file(c.conn, c.actor, c.now, id, upload)
        },
        move |_| (Text::new("已上传预案文件", "Plan file attached"), to),
    )
    .await
}

/// The plan's file.
#[get("/drills/plans/{id}/file")]
async fn download_file(page: Page, id: web::Path<i64>) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let (_, (info, bytes)) = page
        .run(move |c| service::file(c.conn, c.actor, id))
        .await?;
    Ok(crate::drills::api::file_response(
        &format!("plan-{id}"),
        &info,
        bytes,
    ))
}

#[derive(Template)]
#[template(path = "drills/rules.html")]
struct RulesPage {
    ctx: Ctx,
    rows: Vec<DrillRuleRow>,
    sectors: Vec<(&'static str, &'static str)>,
    levels: Vec<(&'static str, &'static str)>,
    may_edit: bool,
}

impl RulesPage {
    fn cell(&self, sector: &str, level: &str) -> Option<&DrillRuleRow> {
        self.rows
            .iter()
            .find(|r| r.sector.code() == sector && r.level.code() == level)
    }
}

/// 演练频次: the frequency table.
#[get("/drills/rules")]
async fn rules_page(page: Page) -> Result<HttpResponse, PageError> {
    page.show(
        |c| {
            let may = service::may_set_rules(c.conn, c.actor)?;
            Ok((service::rules(c.conn)?, may))
        },
        |ctx, (rows, may_edit)| {
            let lang = ctx.lang;
            RulesPage {
                ctx,
                rows,
                sectors: choices!(DrillSector, lang),
                levels: choices!(PlanLevel, lang),
                may_edit,
            }
        },
    )
    .await
}

/// The office sets a cell of the table (empty: back to the default).
#[post("/drills/rules")]
async fn set_rule(
    page: Page,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    page.act(
        "/drills/rules",
        move |c| {
            let sector = DrillSector::parse(get(&fields, "sector"))?;
            let level = PlanLevel::parse(get(&fields, "level"))?;
            let months = match get(&fields, "months").trim() {
                "" => None,
                v => Some(check_months(
                    "months",
                    v.parse().map_err(|_| {
                        ServiceError::invalid("months", "请填写月数", "Enter the months")
                    })?,
                )?),
            };
            service::set_rule(c.conn, c.actor, c.now, sector, level, months)
        },
        |_| {
            (
                Text::new("已保存演练频次", "Frequency saved"),
                "/drills/rules".into(),
            )
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "drills/profile.html")]
struct ProfilePage {
    ctx: Ctx,
    p: DrillUnitProfile,
    sectors: Vec<(&'static str, &'static str)>,
    units: Vec<(i64, String)>,
}

/// A unit's sector and supervising department (set by the office).
#[get("/drills/units/{id}/profile")]
async fn profile_page(page: Page, id: web::Path<i64>) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    page.show(
        move |c| {
            Ok((
                service::profile(c.conn, c.actor, id)?,
                crate::org::service::units::names(c.conn, true)?,
            ))
        },
        |ctx, (p, units)| {
            let lang = ctx.lang;
            ProfilePage {
                ctx,
                p,
                sectors: choices!(DrillSector, lang),
                units,
            }
        },
    )
    .await
}

/// The office sets a unit's sector and supervising department.
#[post("/drills/units/{id}/profile")]
async fn set_profile(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let back = format!("/drills/units/{id}/profile");
    let to = back.clone();
    page.act(
        &back,
        move |c| {
            let sector = DrillSector::parse(get(&fields, "sector"))?;
            let supervisor = crate::web::forms::optional_id(
                "supervisor_unit_id",
                get(&fields, "supervisor_unit_id"),
            )?;
            service::set_profile(c.conn, c.actor, c.now, id, sector, supervisor)
        },
        move |_| (Text::new("已保存行业类别", "Sector saved"), to),
    )
    .await
}
