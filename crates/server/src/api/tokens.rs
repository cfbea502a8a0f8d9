//! API tokens for scripts: each belongs to the person who made it and acts with their role.
//! The token is shown once, at creation; only its argon2 hash is kept.

use axum::extract::State;
use axum::http::StatusCode;
use forewarn_store::{new_id, ApiToken, TokenId};
use serde::{Deserialize, Serialize};

use crate::auth::{self, Caller};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json, Path};
use crate::validate;
use crate::AppState;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// What the token is for, such as `siem export`.
    pub name: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CreatedToken {
    #[serde(flatten)]
    pub token: ApiToken,
    /// Shown this once: send it as `Authorization: Bearer …`.
    pub secret: String,
}

#[utoipa::path(get, path = "/tokens", tag = "tokens",
    responses((status = 200, body = [ApiToken])),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin", "member"]))))]
pub async fn list_tokens(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<ApiToken>>, ApiError> {
    Ok(Json(state.store.api_tokens(&caller.user.id).await?))
}

#[utoipa::path(post, path = "/tokens", tag = "tokens", request_body = NewToken,
    responses((status = 201, body = CreatedToken), (status = 422, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin", "member"]))))]
pub async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    Json(new): Json<NewToken>,
) -> Result<(StatusCode, Json<CreatedToken>), ApiError> {
    let name = validate::text("name", &new.name, 100)
        .map_err(|r| ApiError::invalid("the token is not valid", vec![r]))?;
    if state.store.api_tokens(&caller.user.id).await?.len() >= 50 {
        return Err(ApiError::Conflict(
            "a person may hold at most 50 tokens; delete one first".to_owned(),
        ));
    }
    let id = TokenId(new_id());
    let secret = auth::new_api_token(&id);
    let hash = auth::hash_password(secret.clone()).await?;
    let token = state
        .store
        .insert_api_token_with_id(&caller.user, &id, &name, &hash)
        .await?;
    Ok((StatusCode::CREATED, Json(CreatedToken { token, secret })))
}

#[utoipa::path(delete, path = "/tokens/{token_id}", tag = "tokens", params(("token_id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)),
    extensions(("x-forewarn-roles" = json!(["operator", "analyst", "org_admin", "member"]))))]
pub async fn delete_token(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    if state
        .store
        .delete_api_token(&caller.user, &TokenId(id))
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound)
    }
}
