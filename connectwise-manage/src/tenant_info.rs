//! `GET /login/companyinfo/{company}`: what a tenant says about itself, above all its codebase.

use serde::{Deserialize, Deserializer, Serialize};

/// A tenant's self-description, as `/login/companyinfo/{company}` returns it (PascalCase keys).
///
/// ```
/// let info: connectwise_manage::TenantInfo = serde_json::from_str(
///     r#"{"CompanyName":"ConnectWise","Codebase":"v2017_3/","VersionCode":"v2017.3",
///         "VersionNumber":"v4.6.38842","CompanyID":"CW","IsCloud":"True"}"#,
/// )?;
/// assert_eq!(info.codebase.as_deref(), Some("v2017_3/"));
/// assert_eq!(info.is_cloud, Some(true));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TenantInfo {
    /// The company's display name.
    #[serde(default)]
    pub company_name: Option<String>,
    /// The codebase path segment with its trailing slash, e.g. `v2025_1/`.
    #[serde(default)]
    pub codebase: Option<String>,
    /// The release, e.g. `v2025.1`.
    #[serde(default)]
    pub version_code: Option<String>,
    /// The build number, e.g. `v4.6.77997`.
    #[serde(default)]
    pub version_number: Option<String>,
    /// The login company id.
    #[serde(default, rename = "CompanyID")]
    pub company_id: Option<String>,
    /// Whether the tenant is hosted by ConnectWise; sent as a string (`"True"`) or a boolean.
    #[serde(default, deserialize_with = "bool_or_string")]
    pub is_cloud: Option<bool>,
    /// The API host the tenant is served from, when given.
    #[serde(default)]
    pub site_url: Option<String>,
    /// Every other key, kept as sent.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

fn bool_or_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Bool(bool),
        Text(String),
    }
    Ok(match Option::<Flag>::deserialize(deserializer)? {
        None => None,
        Some(Flag::Bool(value)) => Some(value),
        Some(Flag::Text(text)) => match text.trim().to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_flag_forms_and_keeps_unknown_keys() {
        let info: TenantInfo = serde_json::from_str(
            r#"{"Codebase":"v2020_4/","IsCloud":true,"SiteUrl":"api-na.myconnectwise.net","AllowedOrigins":["*.myconnectwise.net"]}"#,
        )
        .unwrap();
        assert_eq!(info.is_cloud, Some(true));
        assert_eq!(info.site_url.as_deref(), Some("api-na.myconnectwise.net"));
        assert!(info.extra.contains_key("AllowedOrigins"));
        let info: TenantInfo = serde_json::from_str(r#"{"IsCloud":"False"}"#).unwrap();
        assert_eq!(info.is_cloud, Some(false));
    }
}
