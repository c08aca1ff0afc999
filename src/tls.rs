//! The server certificate (PEM files given on the command line, or a self-signed one made at
//! start) and the client side of the `health` subcommand, which takes any certificate.

use std::path::{Path, PathBuf};
use std::sync::Arc;

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
    Ok(ServerCertificate { chain, key, pem })
}

/// Makes a self-signed certificate for loopback plus the given host names.
pub fn self_signed(extra_hostnames: &[String]) -> Result<ServerCertificate, TlsError> {
    let mut names = vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "::1".to_owned(),
    ];
    names.extend(extra_hostnames.iter().cloned());
    let certified = rcgen::generate_simple_self_signed(names)?;
    Ok(ServerCertificate {
        chain: vec![certified.cert.der().clone()],
        key: PrivatePkcs8KeyDer::from(certified.key_pair.serialize_der()).into(),
        pem: certified.cert.pem(),
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
    pub config: RustlsConfig,
    pub pem: Arc<str>,
}

impl ServerTls {
    pub fn new(certificate: &ServerCertificate) -> Result<Self, TlsError> {
        Ok(Self {
            config: RustlsConfig::from_config(server_config(certificate)?),
            pem: Arc::from(certificate.pem.as_str()),
        })
    }
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
