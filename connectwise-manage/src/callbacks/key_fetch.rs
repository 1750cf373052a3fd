//! Fetching callback signing keys with the client's own transport.

use http::header::ACCEPT;
use msp_common::bytes::Bytes;
use msp_common::{Operation, SecretString, url::Url};

use crate::callbacks::{
    CallbackError, CallbackVerifier, KeyUrlPolicy, SigningKeySource, parse_signing_key_response,
};
use crate::client::Client;

/// Fetches keys with a plain `GET` through the client's transport (retries and rate budget
/// included). No credentials are sent: the key URL needs none, and it comes from an untrusted body
/// that the [`KeyUrlPolicy`] has already checked.
#[async_trait::async_trait]
impl SigningKeySource for Client {
    async fn fetch(&self, key_url: &Url) -> Result<SecretString, CallbackError> {
        let operation = Operation::safe("getCallbackSigningKey", "/system/callbackkey/index.rails");
        let request = http::Request::get(key_url.as_str())
            .header(ACCEPT, "application/json")
            .body(Bytes::new())
            .map_err(|e| CallbackError::key_fetch(key_url, e))?;
        let response = self
            .shared()
            .executor
            .send(operation.attach(request))
            .await
            .map_err(|e| CallbackError::key_fetch(key_url, e))?;
        parse_signing_key_response(response.body())
    }
}

impl Client {
    /// A verifier for callbacks to this tenant: key URLs must be on the configured site (or its
    /// non-`api-` twin on ConnectWise cloud), the payload must name this company, and keys are
    /// fetched through this client.
    ///
    /// ```no_run
    /// # async fn handle(client: connectwise_manage::Client, headers: http::HeaderMap, body: bytes::Bytes)
    /// # -> Result<(), Box<dyn std::error::Error>> {
    /// let verifier = client.callback_verifier()?; // keep it: it caches keys
    /// let payload = verifier.verify(&headers, &body).await?;
    /// let ticket: Option<serde_json::Value> = payload.entity()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn callback_verifier(&self) -> Result<CallbackVerifier, CallbackError> {
        let policy = KeyUrlPolicy::for_site(self.site().host())?;
        Ok(CallbackVerifier::new(self.clone(), policy).with_expected_company(self.company_id()))
    }
}
