//! The server certificate (PEM files given on the command line, or a self-signed one made at
//! start) and the client side of the `health` subcommand, which takes any certificate.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use axum_server::tls_rustls::RustlsConfig;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, ServerConfig, SignatureScheme};

/// Why the certificate could not be set up; each renders as one line for the user.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot read certificate file {path}: {reason}")]
    ReadCertificate { path: PathBuf, reason: String },
    #[error("cannot read private key file {path}: {reason}")]
    ReadKey { path: PathBuf, reason: String },
    #[error("cannot make a self-signed certificate: {0}")]
    Generate(#[from] rcgen::Error),
    #[error("the certificate and key do not make a TLS configuration: {0}")]
    Config(#[from] rustls::Error),
}

/// The certificate the server presents, with its PEM text so it can be written out for clients.
pub struct ServerCertificate {
    pub chain: Vec<CertificateDer<'static>>,
    pub key: PrivateKeyDer<'static>,
    pub pem: String,
    /// The names a stand-in certificate is made for: those asked for at start (the PEM
    /// files' own names are not read).
    pub names: Vec<String>,
}

/// Reads a certificate chain and key from PEM files.
pub fn load_pem_files(cert_path: &Path, key_path: &Path) -> Result<ServerCertificate, TlsError> {
    let read_cert_error = |reason: String| TlsError::ReadCertificate {
        path: cert_path.to_owned(),
        reason,
    };
    let pem = std::fs::read_to_string(cert_path).map_err(|e| read_cert_error(e.to_string()))?;
    let chain = CertificateDer::pem_slice_iter(pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| read_cert_error(e.to_string()))?;
    if chain.is_empty() {
        return Err(read_cert_error("no PEM certificate in it".to_owned()));
    }
    let key = PrivateKeyDer::from_pem_file(key_path).map_err(|e| TlsError::ReadKey {
        path: key_path.to_owned(),
        reason: e.to_string(),
    })?;
    Ok(ServerCertificate {
        chain,
        key,
        pem,
        names: vec![
            "localhost".to_owned(),
            "127.0.0.1".to_owned(),
            "::1".to_owned(),
        ],
    })
}

/// Makes a self-signed certificate for loopback plus the given host names.
pub fn self_signed(extra_hostnames: &[String]) -> Result<ServerCertificate, TlsError> {
    let mut names = vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "::1".to_owned(),
    ];
    names.extend(extra_hostnames.iter().cloned());
    let certified = rcgen::generate_simple_self_signed(names.clone())?;
    Ok(ServerCertificate {
        chain: vec![certified.cert.der().clone()],
        key: PrivatePkcs8KeyDer::from(certified.key_pair.serialize_der()).into(),
        pem: certified.cert.pem(),
        names,
    })
}

/// A rustls configuration (ring provider, TLS 1.2 and 1.3) offering HTTP/2 and HTTP/1.1.
pub fn server_config(certificate: &ServerCertificate) -> Result<Arc<ServerConfig>, TlsError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(certificate.chain.clone(), certificate.key.clone_key())?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// What the servers of one process present: every world serves the same certificate, so a
/// client that trusts the main server trusts its isolated worlds too.
#[derive(Debug, Clone)]
pub struct ServerTls {
    pub config: Arc<ServerConfig>,
    pub pem: Arc<str>,
    /// The names the certificate is for, which an expired stand-in is made for too.
    names: Arc<[String]>,
}

impl ServerTls {
    pub fn new(certificate: &ServerCertificate) -> Result<Self, TlsError> {
        Ok(Self {
            config: server_config(certificate)?,
            pem: Arc::from(certificate.pem.as_str()),
            names: certificate.names.clone().into(),
        })
    }

    /// What one listener presents, switchable on its own.
    pub fn listener_certificate(&self) -> ListenerCertificate {
        ListenerCertificate {
            live: RustlsConfig::from_config(self.config.clone()),
            normal: self.config.clone(),
            names: self.names.clone(),
            expired: OnceLock::new(),
            presenting_expired: AtomicBool::new(false),
        }
    }
}

/// The certificate one listener presents: the server's own, or (under the
/// certificate-expired scenario) a self-signed one for the same names that expired.
#[derive(Debug)]
pub struct ListenerCertificate {
    pub live: RustlsConfig,
    normal: Arc<ServerConfig>,
    names: Arc<[String]>,
    expired: OnceLock<Arc<ServerConfig>>,
    presenting_expired: AtomicBool,
}

impl ListenerCertificate {
    /// Presents the expired certificate from the next handshake on, or the server's own
    /// again; connections already open keep theirs.
    pub fn present_expired(&self, expired: bool) -> Result<(), TlsError> {
        if self.presenting_expired.load(Ordering::Acquire) == expired {
            return Ok(());
        }
        let config = if expired {
            match self.expired.get() {
                Some(config) => config.clone(),
                None => {
                    let made = server_config(&expired_self_signed(&self.names)?)?;
                    self.expired.get_or_init(|| made).clone()
                }
            }
        } else {
            self.normal.clone()
        };
        self.live.reload_from_config(config);
        self.presenting_expired.store(expired, Ordering::Release);
        Ok(())
    }
}

/// A self-signed certificate for `names` valid through 2020 only.
fn expired_self_signed(names: &[String]) -> Result<ServerCertificate, TlsError> {
    let mut params = rcgen::CertificateParams::new(names.to_vec())?;
    params.not_before = rcgen::date_time_ymd(2020, 1, 1);
    params.not_after = rcgen::date_time_ymd(2021, 1, 1);
    let key_pair = rcgen::KeyPair::generate()?;
    let certificate = params.self_signed(&key_pair)?;
    Ok(ServerCertificate {
        chain: vec![certificate.der().clone()],
        key: PrivatePkcs8KeyDer::from(key_pair.serialize_der()).into(),
        pem: certificate.pem(),
        names: names.to_vec(),
    })
}

/// A client configuration that takes whatever certificate the server presents, as `curl -k`
/// does, but still checks that the server holds its key. For the health probe only: it asks
/// whether the emulator answers, and the emulator's certificate is usually self-signed.
pub fn any_server_certificate() -> Result<ClientConfig, TlsError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(AnyCertificate(provider)))
        .with_no_client_auth())
}

#[derive(Debug)]
struct AnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            certificate,
            signature,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            certificate,
            signature,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
