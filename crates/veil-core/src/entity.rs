//! Entity types, named as Presidio names them so that users can switch.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// Which family an entity type belongs to: personal data or a credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// Personal data about a person (names, contact details, identifiers).
    Pii,
    /// Credentials and key material (API keys, tokens, private keys).
    Secret,
}

/// The name of an entity type, e.g. `PERSON` or `AWS_ACCESS_KEY`.
///
/// Built-in types are associated constants; custom recognizers may introduce
/// new names. Names are upper-case ASCII with underscores by convention;
/// [`EntityType::new`] upper-cases what it is given.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EntityType(Cow<'static, str>);

macro_rules! entity_consts {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {
        impl EntityType {
            $( $(#[$doc])* pub const $name: EntityType = EntityType(Cow::Borrowed(stringify!($name))); )*
            /// Every built-in entity type, in declaration order.
            pub const BUILTIN: &'static [EntityType] = &[$(EntityType::$name),*];
        }
    };
}

entity_consts! {
    /// A person's name.
    PERSON,
    /// A place: country, state, city, street address.
    LOCATION,
    /// An e-mail address.
    EMAIL_ADDRESS,
    /// A telephone number, validated against libphonenumber metadata.
    PHONE_NUMBER,
    /// A payment card number passing the Luhn check.
    CREDIT_CARD,
    /// An IBAN with a valid country length and mod-97 checksum.
    IBAN_CODE,
    /// A US social security number with valid area and group.
    US_SSN,
    /// A US individual taxpayer identification number.
    US_ITIN,
    /// A US passport number.
    US_PASSPORT,
    /// A US driver's licence number.
    US_DRIVER_LICENSE,
    /// A US bank account number.
    US_BANK_NUMBER,
    /// A UK National Health Service number (mod-11).
    UK_NHS,
    /// A UK National Insurance number.
    UK_NINO,
    /// An IPv4 or IPv6 address.
    IP_ADDRESS,
    /// A MAC address.
    MAC_ADDRESS,
    /// A URL or bare domain name.
    URL,
    /// A date or time expression.
    DATE_TIME,
    /// An organisation's name (employer, company, firm).
    ORGANIZATION,
    /// A nationality, religious or political group (Presidio's NRP).
    NRP,
    /// A person's age in years.
    AGE,
    /// A person's title: an honorific (Mr., Dr.) or an occupation.
    TITLE,
    /// A postal code named as such ("ZIP: 94107", "postcode SW1A 1AA").
    ZIP_CODE,
    /// A Bitcoin address (base58check or bech32).
    CRYPTO,
    /// A US DEA medical licence number.
    MEDICAL_LICENSE,
    /// Spanish DNI/NIE (mod-23 letter).
    ES_NIF,
    /// Italian codice fiscale (check letter).
    IT_FISCAL_CODE,
    /// Indian Aadhaar number (Verhoeff check digit).
    IN_AADHAAR,
    /// Indian PAN (permanent account number).
    IN_PAN,
    /// Australian tax file number (weighted mod-11).
    AU_TFN,
    /// Australian business number (weighted mod-89).
    AU_ABN,
    /// Australian Medicare number (weighted mod-10).
    AU_MEDICARE,
    /// Singapore NRIC/FIN (check letter).
    SG_NRIC_FIN,
    /// Polish PESEL (weighted mod-10).
    PL_PESEL,
    /// Finnish personal identity code (mod-31 check character).
    FI_PERSONAL_IDENTITY_CODE,
    /// AWS access key id (AKIA/ASIA…).
    AWS_ACCESS_KEY,
    /// AWS secret access key.
    AWS_SECRET_KEY,
    /// GitHub token (ghp_, gho_, ghs_, github_pat_ …).
    GITHUB_TOKEN,
    /// GitLab personal access token (glpat-…).
    GITLAB_TOKEN,
    /// Slack token (xox…) or webhook URL.
    SLACK_TOKEN,
    /// Stripe secret or restricted key.
    STRIPE_KEY,
    /// Google API key (AIza…).
    GOOGLE_API_KEY,
    /// OpenAI-style API key (sk-…).
    OPENAI_API_KEY,
    /// A PEM private-key block.
    PRIVATE_KEY,
    /// A JSON Web Token.
    JWT,
    /// A database connection URL with an embedded password.
    DATABASE_URL,
    /// A generic credential assignment (`password=`, `api_key: …`) whose value looks random.
    GENERIC_SECRET,
}

impl EntityType {
    /// An entity type from a name, upper-cased. Returns a built-in constant
    /// when the name is one.
    pub fn new(name: &str) -> EntityType {
        let upper = name.trim().to_ascii_uppercase();
        match EntityType::BUILTIN.iter().find(|e| e.as_str() == upper) {
            Some(e) => e.clone(),
            None => EntityType(Cow::Owned(upper)),
        }
    }

    /// The name as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The family of a built-in type; custom types are personal data unless
    /// their recognizer says otherwise.
    pub fn family(&self) -> Family {
        const SECRETS: &[&str] = &[
            "AWS_ACCESS_KEY",
            "AWS_SECRET_KEY",
            "GITHUB_TOKEN",
            "GITLAB_TOKEN",
            "SLACK_TOKEN",
            "STRIPE_KEY",
            "GOOGLE_API_KEY",
            "OPENAI_API_KEY",
            "PRIVATE_KEY",
            "JWT",
            "DATABASE_URL",
            "GENERIC_SECRET",
        ];
        if SECRETS.contains(&self.as_str()) {
            Family::Secret
        } else {
            Family::Pii
        }
    }
}

impl fmt::Display for EntityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_returns_builtin_for_known_names() {
        assert_eq!(EntityType::new("person"), EntityType::PERSON);
        assert_eq!(EntityType::new("MY_ID").as_str(), "MY_ID");
        assert_eq!(EntityType::JWT.family(), Family::Secret);
        assert_eq!(EntityType::US_SSN.family(), Family::Pii);
    }
}
