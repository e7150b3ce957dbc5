//! The gateway's HTTP API (issue 18): one router for the web app, the mini program, staff and
//! auditors, described by the OpenAPI document it is built from.
//!
//! - `/api/v1/…`: the API; every handler is registered together with its `#[utoipa::path]`, so
//!   the document cannot list an endpoint that does not exist or miss one that does;
//! - `/api/openapi.json` and `/api/docs/`: the document and a documentation page whose files are
//!   compiled into the binary (it works without internet);
//! - `/health`, `/ready`, `/metrics`.
//!
//! Every response carries an `x-request-id` (the client's, or a new UUID), every refusal the
//! [`error::ErrorBody`] shape, and every request is logged with its id, method, path and status
//! (never its body).

pub mod access;
pub mod activities;
pub mod auth;
pub mod branch_admin;
pub mod counter;
pub mod election;
pub mod engagements;
pub mod error;
pub mod export;
pub mod giving;
pub mod health;
pub mod inbox;
pub mod input;
pub mod limits;
pub mod listings;
pub mod me;
pub mod members;
pub mod operations;
pub mod oversight;
pub mod proxies;
pub mod reviews;
pub mod session;
pub mod statement;
pub mod training;
pub mod write;

use crate::Gateway;
use axum::{
	extract::{ConnectInfo, FromRequestParts},
	http::{request::Parts, HeaderName, Request},
	routing::get,
	Router,
};
use std::{
	net::{IpAddr, SocketAddr},
	sync::Arc,
	time::Duration,
};
use tower_http::{
	request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
	timeout::TimeoutLayer,
	trace::{DefaultOnResponse, TraceLayer},
	LatencyUnit,
};
use utoipa::{
	openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
	Modify, OpenApi,
};
use utoipa_axum::{router::OpenApiRouter, routes};

/// How long a request may take before it is answered `http.timeout`.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// What every handler has: the gateway and the rate limiters.
#[derive(Clone)]
pub struct ApiState {
	/// The gateway.
	pub gateway: Gateway,
	/// The rate limiters.
	pub limits: Arc<limits::Limits>,
}

/// The address a request came from (unspecified when served without connection info, as in
/// tests that call the router directly).
pub struct ClientAddress(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
	type Rejection = std::convert::Infallible;

	async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
		let address = parts
			.extensions
			.get::<ConnectInfo<SocketAddr>>()
			.map_or(IpAddr::from([0, 0, 0, 0]), |info| info.0.ip());
		Ok(Self(address))
	}
}

/// The document's frame: title, version, the two ways to carry a session.
#[derive(OpenApi)]
#[openapi(
	info(
		title = "Time Bank gateway API",
		description = "The HTTP API of a branch's gateway: sign-in, members, operations. Every \
		               refusal has the ErrorBody shape with a stable `code`; messages are in \
		               zh-CN unless Accept-Language prefers English. Amounts are integer minutes; \
		               accounts are SS58. See docs/API.md."
	),
	modifiers(&SessionSchemes),
	tags(
		(name = "auth", description = "Signing in and out"),
		(name = "me", description = "The signed-in person"),
		(name = "members", description = "Staff at the counter"),
		(name = "operations", description = "Following a write to finality"),
		(name = "listings", description = "Requests for help and offers"),
		(name = "engagements", description = "Services from acceptance to settlement"),
		(name = "giving", description = "Gifts, donations, a proxy's proposals, the time will, leaving"),
		(name = "proxies", description = "Family proxies and verified relatives"),
		(name = "training", description = "Courses, sessions, rosters and certificates"),
		(name = "reviews", description = "The management-review queue and applications to join"),
		(name = "branch admin", description = "Officers, grants, reversals, catalogue, review policy"),
		(name = "election", description = "Votes for validator branches and candidacy"),
		(name = "oversight", description = "Branch figures, redemption capacity, operator status"),
	)
)]
struct ApiDoc;

struct SessionSchemes;

impl Modify for SessionSchemes {
	fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
		let components = openapi.components.get_or_insert_with(Default::default);
		components.add_security_scheme(
			"session_cookie",
			SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
				session::COOKIE,
				"The web app's session (writes also need the X-Timebank-Client header)",
			))),
		);
		components.add_security_scheme(
			"bearer",
			SecurityScheme::Http(
				HttpBuilder::new()
					.scheme(HttpAuthScheme::Bearer)
					.description(Some("The mini program's session token"))
					.build(),
			),
		);
	}
}

/// The API's routes and the OpenAPI document that describes them.
fn api() -> (Router<ApiState>, utoipa::openapi::OpenApi) {
	let v1 = OpenApiRouter::new()
		.nest(
			"/auth",
			OpenApiRouter::new().routes(routes!(auth::sign_in)).routes(routes!(auth::sign_out)),
		)
		.routes(routes!(me::me))
		.nest("/me", me_routes())
		.nest("/members", member_routes())
		.nest("/branches", branch_routes())
		.merge(giving_and_training_routes())
		.merge(review_routes())
		.nest(
			"/listings",
			OpenApiRouter::new()
				.routes(routes!(listings::search, activities::publish))
				.routes(routes!(engagements::applications))
				.routes(routes!(activities::apply))
				.routes(routes!(activities::withdraw))
				.routes(routes!(activities::accept))
				.routes(routes!(activities::cancel_listing)),
		)
		.nest(
			"/engagements",
			OpenApiRouter::new()
				.routes(routes!(activities::check_in))
				.routes(routes!(activities::check_out))
				.routes(routes!(activities::confirm))
				.routes(routes!(activities::dispute))
				.routes(routes!(activities::rate))
				.routes(routes!(activities::cancel_engagement)),
		)
		.nest("/operations", OpenApiRouter::new().routes(routes!(operations::operation)));
	OpenApiRouter::with_openapi(ApiDoc::openapi()).nest("/api/v1", v1).split_for_parts()
}

/// What the signed-in person does for themself.
fn me_routes() -> OpenApiRouter<ApiState> {
	// `/me` itself is registered beside this nest; these paths are relative to it.
	OpenApiRouter::new()
		.routes(routes!(giving::set_time_will))
		.routes(routes!(giving::leave))
		.routes(routes!(proxies::authorise))
		.routes(routes!(election::vote))
		.routes(routes!(election::unvote))
}

/// A member's records, and staff's work on them.
fn member_routes() -> OpenApiRouter<ApiState> {
	OpenApiRouter::new()
		.routes(routes!(members::register))
		.routes(routes!(members::reset_password))
		.routes(routes!(statement::statement))
		.routes(routes!(export::statement_csv))
		.routes(routes!(inbox::notifications))
		.routes(routes!(engagements::engagements))
		.routes(routes!(giving::proposals, giving::propose))
		.routes(routes!(proxies::record))
		.routes(routes!(proxies::confirm_recorded))
		.routes(routes!(proxies::cancel_recorded))
		.routes(routes!(proxies::revoke))
		.routes(routes!(proxies::verify_relation))
		.routes(routes!(proxies::family))
		.routes(routes!(training::certificates))
		.routes(routes!(counter::set_roles))
		.routes(routes!(counter::set_status))
		.routes(routes!(counter::set_eligibility))
		.routes(routes!(counter::open_estate))
		.routes(routes!(counter::approve_estate))
		.routes(routes!(counter::cancel_estate))
}

/// A branch's queues and its admins' settings.
fn branch_routes() -> OpenApiRouter<ApiState> {
	OpenApiRouter::new()
		.routes(routes!(oversight::network))
		.routes(routes!(oversight::summary))
		.routes(routes!(reviews::queue))
		.routes(routes!(reviews::applications))
		.routes(routes!(branch_admin::appoint_officer))
		.routes(routes!(branch_admin::remove_officer))
		.routes(routes!(branch_admin::set_category))
		.routes(routes!(branch_admin::set_review_policy))
		.routes(routes!(election::propose_candidate))
		.routes(routes!(election::withdraw_candidate))
		.routes(routes!(election::declare_online))
}

/// Giving credits, training, grants and reversals, the election's candidates, and the
/// operator's status: the routes directly under `/api/v1`.
fn giving_and_training_routes() -> OpenApiRouter<ApiState> {
	OpenApiRouter::new()
		.routes(routes!(giving::gift))
		.routes(routes!(giving::donate))
		.routes(routes!(giving::approve_proposal))
		.routes(routes!(giving::cancel_proposal))
		.routes(routes!(training::courses, training::create_course))
		.routes(routes!(training::set_course_active))
		.routes(routes!(training::schedule))
		.routes(routes!(training::enrol))
		.routes(routes!(training::withdraw))
		.routes(routes!(training::close))
		.routes(routes!(training::record_attendance))
		.routes(routes!(training::complete))
		.routes(routes!(training::roster))
		.routes(routes!(training::revoke_certificate))
		.routes(routes!(branch_admin::grant))
		.routes(routes!(branch_admin::reverse))
		.routes(routes!(election::candidates))
		.routes(routes!(oversight::status))
}

/// Officers' votes on reviews and decisions on applications.
fn review_routes() -> OpenApiRouter<ApiState> {
	OpenApiRouter::new()
		.routes(routes!(reviews::vote))
		.routes(routes!(reviews::approve_application))
		.routes(routes!(reviews::reject_application))
}

/// The OpenAPI document, as served at `/api/openapi.json` (and written by
/// `timebank-gateway openapi` for the clients' generated code).
pub fn openapi() -> utoipa::openapi::OpenApi {
	api().1
}

/// Every route, with the middleware: request ids, logs, time limit, body limit, error bodies.
pub fn router(gateway: Gateway) -> Router {
	let limits = Arc::new(limits::Limits::new(gateway.config.sign_in_per_minute_per_address));
	if let Ok(runtime) = tokio::runtime::Handle::try_current() {
		runtime.spawn(forget_idle_limits(Arc::downgrade(&limits)));
	}
	let state = ApiState { gateway, limits };
	let (api, document) = api();
	let request_id = HeaderName::from_static("x-request-id");
	Router::new()
		.merge(api)
		.route("/health", get(health::health))
		.route("/ready", get(health::ready))
		.route("/metrics", get(health::metrics))
		.with_state(state)
		.merge(
			utoipa_swagger_ui::SwaggerUi::new("/api/docs")
				.url("/api/openapi.json", document)
				.config(utoipa_swagger_ui::Config::default().validator_url("none")),
		)
		.fallback(|| async { error::ApiError::new(error::Code::NotFound) })
		.layer(axum::extract::DefaultBodyLimit::max(input::BODY_LIMIT))
		.layer(axum::middleware::from_fn(error::render))
		.layer(TimeoutLayer::with_status_code(
			axum::http::StatusCode::REQUEST_TIMEOUT,
			REQUEST_TIMEOUT,
		))
		.layer(PropagateRequestIdLayer::new(request_id.clone()))
		.layer(
			TraceLayer::new_for_http()
				.make_span_with(|request: &Request<_>| {
					let id = request
						.headers()
						.get("x-request-id")
						.and_then(|v| v.to_str().ok())
						.unwrap_or("");
					tracing::info_span!("request", id, method = %request.method(), path = %request.uri().path())
				})
				.on_response(
					DefaultOnResponse::new()
						.level(tracing::Level::INFO)
						.latency_unit(LatencyUnit::Millis),
				),
		)
		.layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
}

/// Forget idle rate-limit keys every minute, until the router is dropped.
async fn forget_idle_limits(limits: std::sync::Weak<limits::Limits>) {
	let mut tick = tokio::time::interval(Duration::from_secs(60));
	loop {
		tick.tick().await;
		let Some(limits) = limits.upgrade() else { return };
		limits.forget_idle();
	}
}
