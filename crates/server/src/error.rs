//! One error type for the API, with one body shape:
//! `{"error": {"code": "not_found", "message": "…", "details": […]}}`.
//!
//! Internal errors are logged once, here, and the client sees a generic message. Bad input is
//! the client's business and is not logged.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("sign in first: send an API token as `Authorization: Bearer …` or a session cookie")]
    Unauthorized,
    #[error("your role does not allow this")]
    Forbidden,
    #[error("the CSRF token is missing or wrong: send the session's token in X-CSRF-Token")]
    Csrf,
    #[error("choose your own password first (PUT /api/v1/me/password): the one-time password only lets you replace it")]
    PasswordChangeDue,
    #[error("give your second factor first (POST /api/v1/session/second-factor)")]
    SecondFactorDue,
    #[error("add a second factor first (POST /api/v1/me/second-factors/…): your role or your program requires one")]
    SecondFactorEnrolmentDue,
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Unprocessable(String, Vec<String>),
    #[error("the request body is larger than {0} bytes")]
    TooLarge(usize),
    #[error("send the body with Content-Type: {0}")]
    UnsupportedMediaType(&'static str),
    #[error("too many attempts; try again in {0} s")]
    TooManyRequests(u64),
    /// A peer forewarn relies on (the DNS resolver, the mail relay) failed.
    #[error("{0}")]
    Upstream(String),
    /// Something on our side failed: the client sees "internal error", the log the cause.
    #[error("internal error")]
    Internal {
        /// What was being done ("spooling an upload").
        doing: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// A stable word a program can act on: `bad_request`, `unauthorized`, `forbidden`,
    /// `csrf`, `password_change_due`, `second_factor_due`, `second_factor_enrolment_due`,
    /// `not_found`, `conflict`, `unprocessable`, `too_large`,
    /// `unsupported_media_type`, `too_many_requests`, `upstream`, `internal`.
    pub code: &'static str,
    pub message: String,
    /// Reasons, one per line, where there are several (such as why an application is not
    /// eligible).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden
            | ApiError::Csrf
            | ApiError::PasswordChangeDue
            | ApiError::SecondFactorDue
            | ApiError::SecondFactorEnrolmentDue => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Unprocessable(..) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Upstream(_) => StatusCode::BAD_GATEWAY,
            ApiError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) => "bad_request",
            ApiError::Unauthorized => "unauthorized",
            ApiError::Forbidden => "forbidden",
            ApiError::Csrf => "csrf",
            ApiError::PasswordChangeDue => "password_change_due",
            ApiError::SecondFactorDue => "second_factor_due",
            ApiError::SecondFactorEnrolmentDue => "second_factor_enrolment_due",
            ApiError::NotFound => "not_found",
            ApiError::Conflict(_) => "conflict",
            ApiError::Unprocessable(..) => "unprocessable",
            ApiError::TooLarge(_) => "too_large",
            ApiError::UnsupportedMediaType(_) => "unsupported_media_type",
            ApiError::TooManyRequests(_) => "too_many_requests",
            ApiError::Upstream(_) => "upstream",
            ApiError::Internal { .. } => "internal",
        }
    }

    /// Invalid input: one message, the reasons beneath it.
    pub fn invalid(message: impl Into<String>, details: Vec<String>) -> ApiError {
        ApiError::Unprocessable(message.into(), details)
    }

    /// An internal error while `doing` something, keeping its cause.
    pub fn internal(
        doing: &'static str,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> ApiError {
        ApiError::Internal {
            doing,
            source: Box::new(source),
        }
    }

    /// For an internal error, what was being done and the chain of causes, outermost first:
    /// what the log says once.
    pub fn cause(&self) -> Option<String> {
        let ApiError::Internal { doing, source } = self else {
            return None;
        };
        let mut chain = format!("{doing}: {source}");
        let mut next = source.source();
        while let Some(cause) = next {
            let text = cause.to_string();
            // Many errors repeat their cause in their own message.
            if !chain.ends_with(&text) {
                chain.push_str(": ");
                chain.push_str(&text);
            }
            next = cause.source();
        }
        Some(chain)
    }
}

impl From<forewarn_store::Error> for ApiError {
    fn from(error: forewarn_store::Error) -> ApiError {
        use forewarn_store::Error;
        match error {
            Error::Conflict(what) => ApiError::Conflict(format!("{what} already exists")),
            Error::Dangling(what) => ApiError::invalid(
                format!("the request refers to a {what} that does not exist"),
                vec![],
            ),
            Error::State(why) => ApiError::Conflict(why.to_owned()),
            other => ApiError::internal("reading or writing the store", other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match &self {
            ApiError::Internal { .. } => {
                tracing::error!(error = self.cause().unwrap_or_default(), "request failed")
            }
            // The relay's answer may echo a recipient's address: it goes to the client that
            // gave the address, not into the log.
            ApiError::Upstream(_) => tracing::warn!("a peer (DNS resolver or mail relay) failed"),
            _ => {}
        }
        let status = self.status();
        let details = match &self {
            ApiError::Unprocessable(_, details) => details.clone(),
            _ => Vec::new(),
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code(),
                message: self.to_string(),
                details,
            },
        };
        let mut response = (status, axum::Json(body)).into_response();
        if let ApiError::TooManyRequests(seconds) = self {
            if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("the disk is full")]
    struct Disk;

    #[derive(Debug, thiserror::Error)]
    #[error("could not write the spool file")]
    struct Spool(#[source] Disk);

    #[test]
    fn internal_errors_keep_their_causes() {
        let error = ApiError::internal("spooling an upload", Spool(Disk));
        assert_eq!(error.to_string(), "internal error");
        assert_eq!(
            error.cause().as_deref(),
            Some("spooling an upload: could not write the spool file: the disk is full")
        );
        assert!(std::error::Error::source(&error).is_some());
        assert_eq!(error.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(ApiError::NotFound.cause(), None);
    }
}
