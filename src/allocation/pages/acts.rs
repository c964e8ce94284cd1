//! The request page's forms: propose a source, decide, reserve, dispatch, count a consignment in, give a
//! loan back, extend it, cancel, close. Each goes back to the request; refused, the page shows the form
//! again with what was typed and why.

use actix_web::{post, web, HttpResponse};

use super::request::request_view;
use super::{ids, qty, text};
use crate::allocation::service::deciding::{self, DecisionInput};
use crate::allocation::service::ending;
use crate::allocation::service::fulfil::{self, SendLine};
use crate::allocation::service::loans::{self, ReturnLine};
use crate::allocation::service::{asking, RequestView};
use crate::error::{ServiceError, ServiceResult};
use crate::i18n::Text;
use crate::web::csrf::CsrfForm;
use crate::web::error::PageError;
use crate::web::forms::{optional_date, optional_id};
use crate::web::typed::submit_or_again;
use crate::web::{Call, Page};

pub(super) fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(propose)
        .service(decide)
        .service(reserve)
        .service(dispatch)
        .service(receive)
        .service(give_back)
        .service(extend)
        .service(cancel)
        .service(close);
}

type Fields = CsrfForm<Vec<(String, String)>>;

/// Runs form `form` of request `id` and comes back to the request, saying `done`; refused, the request page
/// shows the form again.
async fn act<F>(
    page: Page,
    id: i64,
    form: String,
    f: Vec<(String, String)>,
    run: F,
    done: Text,
) -> Result<HttpResponse, PageError>
where
    F: FnOnce(&mut Call<'_>, &[(String, String)]) -> ServiceResult<RequestView> + Send + 'static,
{
    let typed = f.clone();
    submit_or_again(
        &page,
        form,
        typed,
        move |c| run(c, &f),
        move |_| (done, format!("/allocations/{id}")),
        |refused| request_view(&page, id, Some(refused)),
    )
    .await
}

#[post("/allocations/{id:\\d+}/lines/{line:\\d+}/source")]
async fn propose(
    page: Page,
    path: web::Path<(i64, i64)>,
    CsrfForm(f): Fields,
) -> Result<HttpResponse, PageError> {
    let (id, line) = path.into_inner();
    let run = move |c: &mut Call<'_>, f: &[(String, String)]| {
        let w = optional_id("from_warehouse_id", text(f, "warehouse_id"))?.ok_or_else(|| {
            ServiceError::invalid(
                "from_warehouse_id",
                "请选择调出储备库",
                "Choose the source warehouse",
            )
        })?;
        asking::propose_source(c.conn, c.actor, c.now, c.tz, id, line, w)
    };
    let done = Text::new("已确定调出储备库", "Source proposed");
    act(page, id, format!("propose{line}"), f, run, done).await
}

#[post("/allocations/{id:\\d+}/decisions")]
async fn decide(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(f): Fields,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let run = move |c: &mut Call<'_>, f: &[(String, String)]| {
        let mut decisions = Vec::new();
        for line in ids(f, "line") {
            let field = format!("qty_{line}");
            if text(f, &field).is_empty() {
                continue;
            }
            decisions.push(DecisionInput {
                line_id: line,
                qty: qty(f, &field, "qty")?,
                reason: text(f, &format!("reason_{line}")).to_string(),
            });
        }
        deciding::decide(c.conn, c.actor, c.now, c.tz, id, &decisions)
    };
    let done = Text::new("已记录审批意见", "Decision recorded");
    act(page, id, "decide".into(), f, run, done).await
}

#[post("/allocations/{id:\\d+}/reserve")]
async fn reserve(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(f): Fields,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let run = move |c: &mut Call<'_>, _: &[(String, String)]| {
        fulfil::reserve(c.conn, c.actor, c.now, c.tz, id, None)
    };
    let done = Text::new(
        "已预留库存（库存不足的部分仍待预留）",
        "Stock reserved (what was short still waits)",
    );
    act(page, id, "reserve".into(), f, run, done).await
}

#[post("/allocations/{id:\\d+}/dispatches")]
async fn dispatch(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(f): Fields,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let from = text(&f, "from_warehouse_id").parse::<i64>().unwrap_or(0);
    let run = move |c: &mut Call<'_>, f: &[(String, String)]| {
        let lines = ids(f, "line")
            .into_iter()
            .map(|line| {
                Ok(SendLine {
                    line_id: line,
                    qty: qty(f, &format!("qty_{line}"), "qty")?,
                })
            })
            .collect::<ServiceResult<Vec<_>>>()?;
        fulfil::dispatch(
            c.conn,
            c.actor,
            c.now,
            c.config,
            id,
            from,
            &lines,
            text(f, "carrier"),
        )
    };
    let done = Text::new(
        "已发出：物资在途，待接收方清点入库",
        "Sent: the goods are on the road until the receiver counts them in",
    );
    act(page, id, format!("dispatch{from}"), f, run, done).await
}

#[post("/allocations/{id:\\d+}/consignments/{cid:\\d+}/receipt")]
async fn receive(
    page: Page,
    path: web::Path<(i64, i64)>,
    CsrfForm(f): Fields,
) -> Result<HttpResponse, PageError> {
    let (id, cid) = path.into_inner();
    let run = move |c: &mut Call<'_>, f: &[(String, String)]| {
        let counted = ids(f, "batch")
            .into_iter()
            .map(|b| Ok((b, qty(f, &format!("count_{b}"), "qty")?)))
            .collect::<ServiceResult<Vec<_>>>()?;
        let loss = text(f, "loss_reason");
        fulfil::receive(c.conn, c.actor, c.now, c.tz, id, cid, &counted, loss)
    };
    let done = Text::new(
        "已清点接收：入库凭证待本单位第二人复核签字",
        "Counted in: the receipt waits for a second signature of your unit",
    );
    act(page, id, format!("receive{cid}"), f, run, done).await
}

#[post("/allocations/{id:\\d+}/returns")]
async fn give_back(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(f): Fields,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let run = move |c: &mut Call<'_>, f: &[(String, String)]| {
        let lines = ids(f, "line")
            .into_iter()
            .map(|l| {
                Ok(ReturnLine {
                    line_id: l,
                    good: qty(f, &format!("good_{l}"), "good")?,
                    damaged: qty(f, &format!("damaged_{l}"), "damaged")?,
                    lost: qty(f, &format!("lost_{l}"), "lost")?,
                })
            })
            .collect::<ServiceResult<Vec<_>>>()?;
        let (note, loss) = (text(f, "note"), text(f, "loss_reason"));
        loans::give_back(c.conn, c.actor, c.now, c.config, id, &lines, note, loss)
    };
    let done = Text::new(
        "已登记归还：物资在途，待出借方清点入库",
        "Return recorded: the goods are on their way back to the lender",
    );
    act(page, id, "return".into(), f, run, done).await
}

#[post("/allocations/{id:\\d+}/extension")]
async fn extend(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(f): Fields,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let run = move |c: &mut Call<'_>, f: &[(String, String)]| {
        let due = optional_date("return_due", text(f, "return_due"))?.ok_or_else(|| {
            ServiceError::invalid(
                "return_due",
                "请填写新的归还日期",
                "Give the new return date",
            )
        })?;
        loans::extend(c.conn, c.actor, c.now, c.tz, id, due)
    };
    let done = Text::new("已延期", "Loan extended");
    act(page, id, "extend".into(), f, run, done).await
}

#[post("/allocations/{id:\\d+}/cancel")]
async fn cancel(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(f): Fields,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let run = move |c: &mut Call<'_>, f: &[(String, String)]| {
        ending::cancel(c.conn, c.actor, c.now, c.tz, id, text(f, "reason"))
    };
    let done = Text::new(
        "已取消尚未发出的部分，预留已释放",
        "What was not yet sent is cancelled and its reservations released",
    );
    act(page, id, "cancel".into(), f, run, done).await
}

#[post("/allocations/{id:\\d+}/close")]
async fn close(
    page: Page,
    id: web::Path<i64>,
    CsrfForm(f): Fields,
) -> Result<HttpResponse, PageError> {
    let id = id.into_inner();
    let run = move |c: &mut Call<'_>, _: &[(String, String)]| {
        ending::close(c.conn, c.actor, c.now, c.tz, id)
    };
    let done = Text::new("已办结", "Request closed");
    act(page, id, "close".into(), f, run, done).await
}
