//! Applying to a program. The application is checked against the program's rules, and the
//! applicant sees every reason it is not eligible; an eligible one waits for the operator.

use axum::extract::State;
use axum::http::request::Parts;
use axum::http::StatusCode;

use crate::error::{ApiError, ErrorBody};
use crate::extract::Json;
use crate::limits::client_address;
use crate::service::applications;
use crate::AppState;

pub use crate::service::applications::{Applicant, Application, Applied};

/// The client's address, for the enrollment rate limit.
pub struct Client(pub std::net::IpAddr);

impl axum::extract::FromRequestParts<AppState> for Client {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Client, ApiError> {
        Ok(Client(client_address(
            parts,
            state.config.trust_proxy_headers,
        )))
    }
}

#[utoipa::path(post, path = "/applications", tag = "applications", request_body = Application,
    responses(
        (status = 201, body = Applied),
        (status = 409, description = "the admin's address is already registered", body = ErrorBody),
        (status = 422, description = "not eligible or not valid; `details` lists every reason", body = ErrorBody),
        (status = 429, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["public"]))))]
pub async fn apply(
    State(state): State<AppState>,
    Client(client): Client,
    Json(application): Json<Application>,
) -> Result<(StatusCode, Json<Applied>), ApiError> {
    let answer = applications::apply(&state, client, application).await?;
    Ok((StatusCode::CREATED, Json(answer)))
}
