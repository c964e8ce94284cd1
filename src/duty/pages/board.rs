//! `/duty`: the rosters and who is on duty on each now; `/duty/now`: the same for a phone and the duty
//! room's wall screen, in large type, refreshing itself every minute without scripts.

use actix_web::{get, post, web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{number, shift_line, text, ShiftLine, LABELS};
use crate::duty::model::RosterInput;
use crate::duty::service::now::{self, RosterNow};
use crate::duty::service::{options, rosters};
use crate::i18n::Text;
use crate::web::context::Ctx;
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::typed::{submit_or_again, Refused, Typed};
use crate::web::{render, Page};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(index).service(wall).service(create);
}

/// A roster's line: who is on now and next.
struct NowLine {
    roster_id: i64,
    roster_name: String,
    unit_name: String,
    duty_phone: String,
    current: Option<ShiftLine>,
    next: Option<ShiftLine>,
}

fn now_line(r: &RosterNow, tz: chrono_tz::Tz) -> NowLine {
    NowLine {
        roster_id: r.roster_id,
        roster_name: r.roster_name.clone(),
        unit_name: r.unit_name.clone(),
        duty_phone: r.duty_phone.clone(),
        current: r.current.as_ref().map(|s| shift_line(s, tz)),
        next: r.next.as_ref().map(|s| shift_line(s, tz)),
    }
}

#[derive(Template)]
#[template(path = "duty/index.html")]
struct IndexPage {
    ctx: Ctx,
    now: Vec<NowLine>,
    /// Retired rosters: `(id, name, unit)`.
    retired: Vec<(i64, String, String)>,
    /// Units whose duty the caller manages: `(id, name)` (empty: no create form).
    units: Vec<(i64, String)>,
    typed: Typed,
}

#[get("/duty")]
async fn index(page: Page, area: web::Data<crate::duty::Area>) -> Result<HttpResponse, PageError> {
    index_view(&page, &area, None).await
}

/// The rosters and who is on each now, with the new roster's form as it was refused, if it was.
async fn index_view(
    page: &Page,
    area: &crate::duty::Area,
    refused: Option<Refused>,
) -> Result<HttpResponse, PageError> {
    let cache = area.now.clone();
    let (ctx, (on, all, units, tz)) = page
        .run(move |c| {
            let on = now::on_duty(c.conn, &cache, c.actor, c.now, None)?;
            let all = rosters::list(c.conn)?;
            let units = options::units_to_manage(c.conn, c.actor)?;
            Ok((on, all, units, c.tz))
        })
        .await?;
    let (typed, status) = Typed::of(refused, ctx.lang, LABELS);
    let view = IndexPage {
        now: on.iter().map(|r| now_line(r, tz)).collect(),
        retired: all
            .into_iter()
            .filter(|(r, _)| !r.active)
            .map(|(r, u)| (r.id, r.name, u))
            .collect(),
        units,
        typed,
        ctx,
    };
    render(&view, status)
}

#[derive(Deserialize)]
struct WallQuery {
    unit: Option<i64>,
}

#[derive(Template)]
#[template(path = "duty/wall.html")]
struct WallPage {
    ctx: Ctx,
    now: Vec<NowLine>,
    /// The time shown, office time.
    at: String,
    unit: Option<i64>,
}

#[get("/duty/now")]
async fn wall(
    page: Page,
    area: web::Data<crate::duty::Area>,
    q: web::Query<WallQuery>,
) -> Result<HttpResponse, PageError> {
    let (unit, cache) = (q.unit, area.now.clone());
    page.show(
        move |c| {
            Ok((
                now::on_duty(c.conn, &cache, c.actor, c.now, unit)?,
                c.now,
                c.tz,
            ))
        },
        move |ctx, (on, at, tz)| WallPage {
            now: on.iter().map(|r| now_line(r, tz)).collect(),
            at: at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string(),
            unit,
            ctx,
        },
    )
    .await
}

#[post("/duty/rosters")]
async fn create(
    page: Page,
    area: web::Data<crate::duty::Area>,
    CsrfForm(f): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, PageError> {
    let typed = f.clone();
    submit_or_again(
        &page,
        "roster",
        typed,
        move |c| {
            let n = |name| number(&f, name);
            let input = RosterInput::parse(
                number(&f, "unit_id")?,
                text(&f, "name"),
                text(&f, "shift_starts"),
                [
                    (n("workday_leaders")?, n("workday_officers")?),
                    (n("weekend_leaders")?, n("weekend_officers")?),
                    (n("holiday_leaders")?, n("holiday_officers")?),
                ],
                text(&f, "duty_phone"),
                30,
                "通讯设备测试正常\n值班电话、传真畅通\n文件资料已移交\n车辆装备正常",
                24,
            )?;
            rosters::create(c.conn, c.actor, c.now, input)
        },
        |r| {
            (
                Text::new(
                    "值班表已建立，请添加值班人员",
                    "Roster created: add its people",
                ),
                format!("/duty/rosters/{}", r.id),
            )
        },
        |refused| index_view(&page, &area, Some(refused)),
    )
    .await
}
