//! Programs: what the operator offers, to whom, until when. Anyone may read them, so an
//! applicant can see the rules before applying.

use axum::extract::State;
use axum::http::StatusCode;
use forewarn_store::{NewProgram, Program, ProgramPatch};

use super::{Listing, PageQuery};
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json, Path, Query};
use crate::service::programs;
use crate::AppState;

#[utoipa::path(get, path = "/programs", tag = "programs", params(PageQuery),
    responses((status = 200, body = Listing<Program>)),
    extensions(("x-forewarn-roles" = json!(["public"]))))]
pub async fn list_programs(
    State(state): State<AppState>,
    Query(query): Query<PageQuery>,
) -> Result<Json<Listing<Program>>, ApiError> {
    Ok(Json(programs::list_programs(&state, query).await?))
}

#[utoipa::path(get, path = "/programs/{program_id}", tag = "programs", params(("program_id" = String, Path)),
    responses((status = 200, body = Program), (status = 404, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["public"]))))]
pub async fn get_program(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Program>, ApiError> {
    Ok(Json(programs::get_program(&state, id).await?))
}

#[utoipa::path(post, path = "/programs", tag = "programs", request_body = NewProgram,
    responses((status = 201, body = Program), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator"]))))]
pub async fn create_program(
    State(state): State<AppState>,
    caller: Caller,
    Json(new): Json<NewProgram>,
) -> Result<(StatusCode, Json<Program>), ApiError> {
    let answer = programs::create_program(&state, &caller, new).await?;
    Ok((StatusCode::CREATED, Json(answer)))
}

#[utoipa::path(patch, path = "/programs/{program_id}", tag = "programs", params(("program_id" = String, Path)), request_body = ProgramPatch,
    responses((status = 200, body = Program), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator"]))))]
pub async fn update_program(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Json(patch): Json<ProgramPatch>,
) -> Result<Json<Program>, ApiError> {
    Ok(Json(
        programs::update_program(&state, &caller, id, patch).await?,
    ))
}
