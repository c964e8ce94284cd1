//! The OpenAPI 3.1 document (generated from the handlers) and a reference page rendered on the server,
//! so it works offline and without JavaScript.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{OpenApi as Spec, RefOr};
use utoipa::{Modify, OpenApi};

use super::auth::request_lang;
use crate::i18n::Lang;

#[derive(OpenApi)]
#[openapi(
    info(title = "standby API", description = "Emergency reserves, rescue teams, duty and drills of a district emergency-management office. \
        Authenticate with `POST /api/v1/auth/tokens` and send `Authorization: Bearer <token>`. \
        Errors are `{\"error\":{\"code\":\"…\",\"message\":\"…\"}}`."),
    modifiers(&BearerScheme)
)]
pub struct ApiDoc;

struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, spec: &mut Spec) {
        let components = spec.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The refusals any operation may answer with, and when (every one carries the JSON error body).
const REFUSALS: [(&str, &str); 8] = [
    (
        "400",
        "The request cannot be read: not JSON, the wrong shape, a malformed query or path",
    ),
    ("401", "No valid bearer token (or wrong credentials)"),
    ("403", "The account may not do this"),
    ("404", "No such resource, or not visible to the account"),
    ("409", "The change conflicts with the current state"),
    ("413", "The request body is too large"),
    (
        "422",
        "A value breaks a rule; `field` names it. Nothing was written",
    ),
    (
        "503",
        "The database is busy; retry after `Retry-After` seconds",
    ),
];

/// Completes the generated document: the error body schema and the refusals of every operation (the
/// handlers declare their successes; every refusal has the same shape), and 429 where sign-in is limited.
/// Each refusal is described once, under `components/responses`, and referred to by every operation.
pub fn complete(spec: &mut Spec) {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    use utoipa::ToSchema;
    let components = spec.components.get_or_insert_with(Default::default);
    let mut schemas = Vec::new();
    super::error::ErrorBody::schemas(&mut schemas);
    schemas.push((
        super::error::ErrorBody::name().into_owned(),
        <super::error::ErrorBody as utoipa::PartialSchema>::schema(),
    ));
    for (name, schema) in schemas {
        components.schemas.insert(name, schema);
    }
    for (code, why) in REFUSALS.iter().chain([&TOO_MANY]) {
        let body = ContentBuilder::new()
            .schema(Some(Ref::from_schema_name("ErrorBody")))
            .build();
        components.responses.insert(
            refusal_name(code),
            ResponseBuilder::new()
                .description(*why)
                .content("application/json", body)
                .into(),
        );
    }
    for (path, item) in spec.paths.paths.iter_mut() {
        let ops = [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ];
        for op in ops.into_iter().flatten() {
            // Handlers in different areas share names (`list`, `get`): the tag makes each id unique.
            if let (Some(tag), Some(id)) =
                (op.tags.as_ref().and_then(|t| t.first()), &op.operation_id)
            {
                op.operation_id = Some(format!("{tag}_{id}"));
            }
            let limited = path.ends_with("/auth/tokens").then_some(&TOO_MANY);
            for (code, _) in REFUSALS.iter().chain(limited) {
                op.responses
                    .responses
                    .entry(code.to_string())
                    .or_insert_with(|| Ref::from_response_name(refusal_name(code)).into());
            }
        }
    }
}

/// Where sign-in is limited.
const TOO_MANY: (&str, &str) = (
    "429",
    "Too many failed sign-ins; retry after `Retry-After` seconds",
);

/// The name of a refusal under `components/responses`.
fn refusal_name(code: &str) -> String {
    format!("Refusal{code}")
}

/// States the values a string property may take when they are known only once the areas are composed
/// (the notice kinds a unit chooses how to hear).
pub fn enumerate(spec: &mut Spec, schema: &str, property: &str, values: &[&str]) {
    use utoipa::openapi::schema::Schema;
    let Some(RefOr::T(Schema::Object(object))) = spec
        .components
        .as_mut()
        .and_then(|c| c.schemas.get_mut(schema))
    else {
        return;
    };
    if let Some(RefOr::T(Schema::Object(p))) = object.properties.get_mut(property) {
        p.enum_values = Some(values.iter().map(|v| (*v).into()).collect());
    }
}

/// A documented operation: its path template, its method and whether it asks for a bearer token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Op {
    pub path: String,
    pub method: &'static str,
    pub auth: bool,
}

/// The operations of a path item, in the order GET, POST, PUT, PATCH, DELETE.
fn operations_of(
    item: &utoipa::openapi::PathItem,
) -> impl Iterator<Item = (&'static str, &Operation)> {
    [
        ("GET", &item.get),
        ("POST", &item.post),
        ("PUT", &item.put),
        ("PATCH", &item.patch),
        ("DELETE", &item.delete),
    ]
    .into_iter()
    .filter_map(|(method, op)| Some((method, op.as_ref()?)))
}

/// The operations of a handler's documentation, under `prefix`.
pub fn ops(prefix: &str, paths: &utoipa::openapi::path::Paths) -> Vec<Op> {
    paths
        .paths
        .iter()
        .flat_map(|(path, item)| {
            operations_of(item).map(move |(method, op)| Op {
                path: format!("{prefix}{path}"),
                method,
                auth: op.security.as_ref().is_some_and(|s| !s.is_empty()),
            })
        })
        .collect()
}

/// The API document as it is served, and what the reference page and the refusal handlers need of it, each
/// made when first needed (neither is needed to serve an authenticated request, and making them touches the
/// documentation code of every handler). Which operations there are and which ask for a token (for the 401,
/// 404 and 405 answers) is read from each handler's own documentation, in a few milliseconds. The whole
/// document, with every schema it refers to, is built when it or the reference page is asked for, written
/// out as JSON and dropped: building it takes ~20 MB for a moment, which the allocator keeps.
pub struct ApiSpec {
    list: fn() -> Vec<Op>,
    ops: std::sync::OnceLock<Vec<Op>>,
    build: Box<dyn Fn() -> Spec + Send + Sync>,
    built: std::sync::OnceLock<Built>,
}

struct Built {
    json: web::Bytes,
    title: String,
    description: String,
    /// The operations by tag, in the document's order.
    groups: Vec<(String, Vec<Endpoint>)>,
}

impl ApiSpec {
    /// The operations `list` reads and the document `build` makes, each when first needed.
    pub fn lazy(list: fn() -> Vec<Op>, build: impl Fn() -> Spec + Send + Sync + 'static) -> Self {
        ApiSpec {
            list,
            ops: std::sync::OnceLock::new(),
            build: Box::new(build),
            built: std::sync::OnceLock::new(),
        }
    }

    fn get(&self) -> &Built {
        self.built.get_or_init(|| Built::new(&(self.build)()))
    }

    /// Every documented operation.
    pub fn operations(&self) -> &[Op] {
        self.ops.get_or_init(self.list)
    }
}

impl Built {
    /// Keeps the document as JSON and its operations by tag.
    fn new(spec: &Spec) -> Self {
        let mut groups: Vec<(String, Vec<Endpoint>)> = Vec::new();
        for (path, item) in &spec.paths.paths {
            for (method, op) in operations_of(item) {
                let tag = op
                    .tags
                    .as_ref()
                    .and_then(|t| t.first())
                    .cloned()
                    .unwrap_or_else(|| "other".into());
                let e = endpoint(method, path, op);
                match groups.iter_mut().find(|(t, _)| *t == tag) {
                    Some((_, list)) => list.push(e),
                    None => groups.push((tag, vec![e])),
                }
            }
        }
        // A document of plain data always serialises; should it not, the document served says so.
        let json = serde_json::to_vec(spec).unwrap_or_else(|e| {
            tracing::error!(error = %e, "the API document cannot be written as JSON");
            br#"{"error":"the API document could not be written"}"#.to_vec()
        });
        Built {
            json: json.into(),
            title: spec.info.title.clone(),
            description: spec.info.description.clone().unwrap_or_default(),
            groups,
        }
    }
}

/// The spec as JSON.
pub async fn spec_json(spec: web::Data<ApiSpec>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(spec.get().json.clone())
}

struct Endpoint {
    method: &'static str,
    path: String,
    summary: String,
    params: Vec<String>,
    request: Option<String>,
    responses: Vec<String>,
    auth: bool,
}

#[derive(Template)]
#[template(path = "api_reference.html")]
struct Reference<'a> {
    lang: Lang,
    title: &'a str,
    description: &'a str,
    groups: &'a [(String, Vec<Endpoint>)],
}

fn schema_name(r: &RefOr<utoipa::openapi::schema::Schema>) -> String {
    match r {
        RefOr::Ref(r) => r.ref_location.rsplit('/').next().unwrap_or("").to_string(),
        RefOr::T(_) => "object".into(),
    }
}

fn endpoint(method: &'static str, path: &str, op: &Operation) -> Endpoint {
    let params = op
        .parameters
        .iter()
        .flatten()
        .filter_map(|p| match p {
            RefOr::T(p) => Some(p),
            RefOr::Ref(_) => None,
        })
        .map(|p| {
            let place = match p.parameter_in {
                ParameterIn::Path => "path",
                ParameterIn::Query | ParameterIn::QueryString => "query",
                ParameterIn::Header => "header",
                ParameterIn::Cookie => "cookie",
            };
            let doc = p.description.clone().unwrap_or_default();
            format!("{} ({place}) {doc}", p.name)
        })
        .collect();
    let content_schema = |c: Option<&RefOr<utoipa::openapi::Content>>| match c {
        Some(RefOr::T(c)) => c.schema.as_ref().map(schema_name),
        _ => None,
    };
    let request = match &op.request_body {
        Some(RefOr::T(b)) => content_schema(b.content.values().next()),
        _ => None,
    };
    let responses = op
        .responses
        .responses
        .iter()
        .map(|(code, r)| match r {
            RefOr::T(resp) => {
                let body = content_schema(resp.content.values().next()).unwrap_or_default();
                format!("{code} {body}")
            }
            RefOr::Ref(_) => code.clone(),
        })
        .collect();
    Endpoint {
        method,
        path: path.to_string(),
        summary: op
            .description
            .clone()
            .or_else(|| op.summary.clone())
            .unwrap_or_default(),
        params,
        request,
        responses,
        auth: op.security.as_ref().is_some_and(|s| !s.is_empty()),
    }
}

/// The readable reference at `/api`.
pub async fn reference(
    req: HttpRequest,
    spec: web::Data<ApiSpec>,
) -> actix_web::Result<HttpResponse> {
    let built = spec.get();
    let page = Reference {
        lang: request_lang(&req),
        title: &built.title,
        description: &built.description,
        groups: &built.groups,
    };
    let html = page
        .render()
        .map_err(actix_web::error::ErrorInternalServerError)?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(html))
}
