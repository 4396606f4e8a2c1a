//! Running one GraphQL request and writing its answer: the response cache, the document limits
//! and rate limit ([`crate::graphql::cost`]), execution with fresh loaders and a timeout, the
//! error codes, the status and the body.

use async_graphql::ServerError;
use axum::{
    body::Bytes,
    http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};

use crate::{
    error::{ApiError, ErrorCode},
    graphql::{self, cost::Charge, mutation::RequestId},
    http::{
        etag::{self, AnswerTag},
        extract::Who,
        format::ResponseFormat,
        request_log::Outcome,
        response_cache, AppState,
    },
};

/// The most errors one answer lists.
const MAX_ERRORS: usize = 50;

/// The `X-Cache` header: `hit` or `miss` for requests the response cache could answer.
const X_CACHE: HeaderName = HeaderName::from_static("x-cache");

/// One request to run, after its persisted query was resolved.
pub struct Run<'a> {
    pub state: &'a AppState,
    pub who: &'a Who,
    pub format: ResponseFormat,
    /// The persisted-query hash to register once the document ran.
    pub register: Option<String>,
    /// Whether the answer may be cached by HTTP caches (anonymous GETs): its
    /// `extensions.cost` then leaves out the bucket's state, which differs every time, and it
    /// is revalidated (`If-None-Match`) before it runs.
    pub cacheable: bool,
    pub request_headers: &'a HeaderMap,
}

/// A request the response cache may answer.
struct CacheUse {
    key: [u8; 32],
    /// With a read replica: the WAL position (the primary's, after the last write heard) the
    /// replica must have replayed for the answer to be kept under `key`.
    replica_needs: Option<u64>,
}

/// What execution gave: the answer, its operation and what it was charged.
struct Executed {
    response: async_graphql::Response,
    operation: Option<String>,
    charged: Option<Charge>,
}

impl Run<'_> {
    /// Answers from the response cache, or admits, runs and answers the request.
    pub async fn answer(self, request: async_graphql::Request) -> Response {
        let query_text = request.query.clone();
        // Reads that do not depend on the caller may be answered from the response cache,
        // without parsing or SQL.
        let cache = self.cache_use(&request).await;
        if let Some(hit) = cache
            .as_ref()
            .and_then(|cache| self.state.response_cache.get(&cache.key))
        {
            // The cached answer ran this exact text: a persisted query sent with it is
            // registered as it would be after running.
            if let Some(hash) = &self.register {
                self.state
                    .persisted
                    .register(hash.clone(), &query_text)
                    .await;
            }
            // A revalidation of a kept answer is a 304 before anything is charged, as on a miss.
            if let Some(etag) = hit
                .etag
                .as_deref()
                .filter(|tag| self.cacheable && etag::if_none_match(self.request_headers, tag))
            {
                return etag::not_modified(etag, self.state.settings.cache_max_age_secs);
            }
            return self.cached_answer(&hit).await;
        }
        // An anonymous GET is revalidated before it runs: its tag names the data version.
        let etag = if self.cacheable {
            etag::revalidation(&self.state.db, &request, self.format).await
        } else {
            None
        };
        if let Some(etag) = etag
            .as_deref()
            .filter(|tag| etag::if_none_match(self.request_headers, tag))
        {
            return etag::not_modified(etag, self.state.settings.cache_max_age_secs);
        }
        let keep = match &cache {
            Some(cache) => self.may_keep(cache).await,
            None => None,
        };
        match self.execute(request).await {
            Ok(executed) => {
                self.respond(executed, cache.is_some(), keep, &query_text, etag)
                    .await
            }
            Err(timed_out) => timed_out,
        }
    }

    /// The key an answer about to run may be kept under: always on the primary; with a read
    /// replica only when the replica has replayed every write the key's version announced
    /// (read before the answer's first statement, so every statement sees at least that).
    async fn may_keep(&self, cache: &CacheUse) -> Option<[u8; 32]> {
        let Some(needed) = cache.replica_needs else {
            return Some(cache.key);
        };
        match crate::changes::version::replay_position(&self.state.db).await {
            Ok(Some(replayed)) if replayed >= needed => Some(cache.key),
            Ok(_) => None,
            Err(e) => {
                tracing::debug!(error = %e, "cannot read the replica's replay position; the answer is not cached");
                None
            }
        }
    }

    /// Admits the request (limits, rate limit) and runs it within the request timeout.
    async fn execute(&self, mut request: async_graphql::Request) -> Result<Executed, Response> {
        let state = self.state;
        let admitted = state.cost.admit(&mut request, &self.who.client).await;
        // The parsed document admit kept (a refused one is not parsed again).
        let operation = request.operation_name.clone().or_else(|| {
            admitted.as_ref().ok()?;
            request
                .parsed_query()
                .ok()
                .and_then(graphql::cost::operation_name)
        });
        let timeout = std::time::Duration::from_secs(state.settings.request_timeout_secs);
        let charged = admitted.as_ref().ok().copied();
        let result = match admitted {
            Ok(charge) => {
                let delay = std::time::Duration::from_millis(state.settings.loader_delay_ms);
                let request =
                    crate::schema::with_loaders(request, &state.db, delay, &state.reference)
                        .data(self.who.client.clone())
                        .data(self.who.caller.clone())
                        .data(RequestId(self.who.request_id.clone().unwrap_or_default()));
                tokio::time::timeout(timeout, state.schema.execute(request))
                    .await
                    .map(|response| state.cost.report_with(charge, response, !self.cacheable))
            }
            Err(refused) => Ok(refused),
        };
        let Ok(response) = result else {
            let mut response = ApiError::Timeout(format!(
                "the query did not finish within {} s; ask for less or try again",
                timeout.as_secs()
            ))
            .into_response();
            response.extensions_mut().insert(Outcome {
                operation,
                codes: vec![ErrorCode::Timeout],
            });
            return Err(response);
        };
        Ok(Executed {
            response,
            operation,
            charged,
        })
    }

    /// The HTTP answer of an executed request; a cacheable one is kept in the response cache.
    async fn respond(
        &self,
        executed: Executed,
        looked_up: bool,
        cache_key: Option<[u8; 32]>,
        query_text: &str,
        etag: Option<String>,
    ) -> Response {
        let Executed {
            mut response,
            operation,
            charged,
        } = executed;
        // Errors before execution (parse, validation) have no path and leave no data.
        let failed_before_execution = response.data == async_graphql::Value::Null
            && !response.errors.is_empty()
            && response.errors.iter().all(|e| e.path.is_empty());
        code_errors(&mut response, failed_before_execution);
        if let Some(hash) = self.register.clone().filter(|_| !failed_before_execution) {
            self.state.persisted.register(hash, query_text).await;
        }
        let codes = codes_of(&response);
        let retry_after = retry_after(&response);
        let status = status_of(&codes, retry_after, failed_before_execution, self.format);
        // A cacheable answer (anonymous, no errors) is kept, and its body built the way a hit's is.
        let keep = match (cache_key, charged) {
            (Some(key), Some(charge)) if response.errors.is_empty() && status == StatusCode::OK => {
                Some((key, charge))
            }
            _ => None,
        };
        let http_cacheable =
            self.cacheable && response.errors.is_empty() && status == StatusCode::OK;
        let body = match keep {
            Some((key, charge)) => {
                // With a read replica the tag's version was read before the replica's replay
                // position, so it may name an older version than the answer: such an entry is
                // tagged by its body instead.
                let kept_tag = etag
                    .clone()
                    .filter(|_| self.state.settings.database.read_url.is_none());
                self.keep(&response, key, charge, operation.clone(), kept_tag)
            }
            None => body_of(&response, failed_before_execution),
        };
        let body = match body {
            Ok(body) => body,
            Err(e) => {
                return ApiError::Internal(format!("cannot serialize a GraphQL response: {e}"))
                    .into_response()
            }
        };
        let mut answer = self.json(status, body);
        if looked_up {
            answer
                .headers_mut()
                .insert(X_CACHE, HeaderValue::from_static("miss"));
        }
        if let Some(secs) = retry_after {
            answer
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        answer.extensions_mut().insert(Outcome { operation, codes });
        if http_cacheable {
            answer.extensions_mut().insert(AnswerTag(etag));
        }
        answer
    }

    /// A JSON answer in the asked media type; cacheable only when `get` says so later.
    fn json(&self, status: StatusCode, body: Vec<u8>) -> Response {
        let headers = [
            (header::CONTENT_TYPE, self.format.content_type()),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ];
        (status, headers, body).into_response()
    }

    /// Keeps an answer in the response cache and returns its body, built the way a hit's is.
    fn keep(
        &self,
        response: &async_graphql::Response,
        key: [u8; 32],
        charge: Charge,
        operation: Option<String>,
        etag: Option<String>,
    ) -> Result<Vec<u8>, serde_json::Error> {
        let data = Bytes::from(serde_json::to_vec(&response.data)?);
        let extensions = serde_json::to_value(&response.extensions)?;
        let body = response_cache::body(&data, &extensions)?;
        self.state.response_cache.put(
            key,
            response_cache::CachedAnswer {
                data,
                cost: charge.cost,
                actual: self.state.cost.actual_cost(response),
                operation,
                etag,
            },
        );
        Ok(body)
    }

    /// How a request may use the response cache: the cache on, the data version known, and an
    /// answer that does not depend on the caller (anonymous, or a query document that names no
    /// caller-specific field: [`graphql::shared`]).
    async fn cache_use(&self, request: &async_graphql::Request) -> Option<CacheUse> {
        let state = self.state;
        if !state.response_cache.enabled() {
            return None;
        }
        // With a read replica the key's version is the announced writes' only, with the WAL
        // position the replica must have replayed for an answer to be kept under it.
        let (version, replica_needs) = if state.settings.database.read_url.is_some() {
            let (notified, needed) = state.data_version.replica_current()?;
            ((u64::MAX, notified), Some(needed))
        } else {
            (state.data_version.current()?, None)
        };
        if !self.who.is_anonymous() && !self.same_for_every_caller(&request.query).await {
            return None;
        }
        let variables = serde_json::to_vec(&request.variables).ok()?;
        let date = chrono::Utc::now().date_naive().to_string();
        let key = response_cache::ResponseCache::key(
            &request.query,
            request.operation_name.as_deref(),
            &variables,
            self.format.content_type().as_bytes(),
            version,
            &date,
        );
        Some(CacheUse { key, replica_needs })
    }

    /// Whether a document's answer is the same for every caller, remembered per document.
    async fn same_for_every_caller(&self, query: &str) -> bool {
        let cache = &self.state.response_cache;
        let document = response_cache::ResponseCache::document_hash(query);
        if let Some(known) = cache.shared_verdict(&document) {
            return known;
        }
        let shared = graphql::shared::same_for_every_caller(query).await;
        cache.remember_verdict(document, shared);
        shared
    }

    /// Serves a cached answer: its cost is charged again (the rate limit still applies), and
    /// its body is built around the stored `data` with this request's `extensions.cost`.
    async fn cached_answer(&self, hit: &response_cache::CachedAnswer) -> Response {
        let state = self.state;
        let (charge, throttled) = state.cost.charge(&self.who.client, hit.cost).await;
        if let Some(throttled) = throttled {
            let refused = state.cost.report(
                charge,
                async_graphql::Response::from_errors(vec![throttled]),
            );
            let retry_after = retry_after(&refused);
            let body = serde_json::to_vec(&refused).unwrap_or_default();
            let mut response = self.json(ErrorCode::Throttled.status(), body);
            if let Some(secs) = retry_after {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(secs));
            }
            response.extensions_mut().insert(Outcome {
                operation: hit.operation.clone(),
                codes: vec![ErrorCode::Throttled],
            });
            return response;
        }
        let extensions = state.cost.extensions(charge, hit.actual, !self.cacheable);
        let body = match response_cache::body(&hit.data, &extensions) {
            Ok(body) => body,
            Err(e) => {
                return ApiError::Internal(format!("cannot serialize a cached answer: {e}"))
                    .into_response()
            }
        };
        let mut response = self.json(StatusCode::OK, body);
        response
            .headers_mut()
            .insert(X_CACHE, HeaderValue::from_static("hit"));
        response.extensions_mut().insert(Outcome {
            operation: hit.operation.clone(),
            codes: Vec::new(),
        });
        if self.cacheable {
            response
                .extensions_mut()
                .insert(AnswerTag(hit.etag.clone()));
        }
        response
    }
}

/// Bounds the errors of an answer and gives every error a code.
fn code_errors(response: &mut async_graphql::Response, failed_before_execution: bool) {
    // A small document can raise thousands of errors (16,000 repeated arguments: a 5 MB answer);
    // the first ones say what is wrong.
    if response.errors.len() > MAX_ERRORS {
        let omitted = response.errors.len() - MAX_ERRORS;
        response.errors.truncate(MAX_ERRORS);
        let mut more = ServerError::new(format!("{omitted} more errors left out"), None);
        if let Some(code) = response.errors.first().and_then(code_of) {
            ensure_code(&mut more, code);
        }
        response.errors.push(more);
    }
    let fallback = if failed_before_execution {
        // Parse errors got their code in admit: what is left failed validation.
        ErrorCode::GraphqlValidationFailed
    } else {
        // Resolver errors always carry a code; uncoded ones are argument coercion failures.
        ErrorCode::BadUserInput
    };
    // Depth is refused by the guard before execution, with its own code.
    for error in &mut response.errors {
        ensure_code(error, fallback);
    }
}

fn ensure_code(error: &mut ServerError, code: ErrorCode) {
    let extensions = error.extensions.get_or_insert_with(Default::default);
    if extensions.get("code").is_none() {
        extensions.set("code", code.as_str());
    }
}

/// The code of one error.
fn code_of(error: &ServerError) -> Option<ErrorCode> {
    match error.extensions.as_ref()?.get("code")? {
        async_graphql::Value::String(code) => ErrorCode::parse(code),
        _ => None,
    }
}

/// The codes of an answer's errors, for the request log and metrics.
fn codes_of(response: &async_graphql::Response) -> Vec<ErrorCode> {
    response.errors.iter().filter_map(code_of).collect()
}

/// The `retryAfter` of a `THROTTLED` error, in seconds.
fn retry_after(response: &async_graphql::Response) -> Option<u64> {
    response.errors.iter().find_map(|e| {
        let secs = e.extensions.as_ref()?.get("retryAfter")?;
        match (code_of(e), secs) {
            (Some(ErrorCode::Throttled), async_graphql::Value::Number(secs)) => secs.as_u64(),
            _ => None,
        }
    })
}

/// The HTTP status of a GraphQL answer: 429 when throttled, 503 when the database is
/// unavailable, 400 for a document refused before execution when the client speaks
/// `application/graphql-response+json`, else 200 (errors inside a partial answer).
fn status_of(
    codes: &[ErrorCode],
    retry_after: Option<u64>,
    failed_before_execution: bool,
    format: ResponseFormat,
) -> StatusCode {
    if retry_after.is_some() {
        ErrorCode::Throttled.status()
    } else if codes.contains(&ErrorCode::ServiceUnavailable) {
        ErrorCode::ServiceUnavailable.status()
    } else if failed_before_execution && format == ResponseFormat::GraphqlResponse {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    }
}

/// The body of an answer that is not cached; a request that failed before execution has no
/// `data` entry at all (GraphQL over HTTP).
fn body_of(
    response: &async_graphql::Response,
    failed_before_execution: bool,
) -> Result<Vec<u8>, serde_json::Error> {
    if failed_before_execution {
        let mut value = serde_json::to_value(response)?;
        if let Some(map) = value.as_object_mut() {
            map.remove("data");
        }
        serde_json::to_vec(&value)
    } else {
        serde_json::to_vec(response)
    }
}
