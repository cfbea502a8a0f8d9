//! Messages that could not be analysed, with the reason, for the operator to look into and
//! retry (after a fix, or when the cause was passing).

use forewarn_store::{DeadLetter, DeadLetterId, Role};

use crate::api::{Listing, PageQuery};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::AppState;

pub async fn list_dead_letters(
    state: &AppState,
    caller: &Caller,
    query: PageQuery,
) -> Result<Listing<DeadLetter>, ApiError> {
    caller.require(&[Role::Operator])?;
    let page = query.page()?;
    let items = state.store.dead_letters(&page).await?;
    Ok(Listing::new(items, &page, |d| d.id.0.clone()))
}

pub async fn retry_dead_letter(
    state: &AppState,
    caller: &Caller,
    id: String,
) -> Result<(), ApiError> {
    let id = DeadLetterId(id);
    if state.store.find_dead_letter_by_id(&id).await?.is_none() {
        return Err(ApiError::NotFound);
    }
    caller.require(&[Role::Operator])?;
    let retried = state.intake.spool().retry(&id).await.map_err(|e| match e {
        forewarn_ingest::Error::Store(e) => ApiError::from(e),
        other => ApiError::internal("retrying a dead letter", other),
    })?;
    if retried {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}
