//! The binary's start-up and shutdown: banner, certificate output, clear one-line failures.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const BINARY: &str = env!("CARGO_BIN_EXE_vb365-mock");

fn run_to_failure(args: &[&str]) -> (bool, String) {
    let output = Command::new(BINARY)
        .args(args)
        .env_remove("VB365_MOCK_LISTEN")
        .output()
        .expect("the binary runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_port_in_use_exits_non_zero_with_one_clear_line() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let (success, stderr) = run_to_failure(&["--listen", &addr]);
    assert!(!success);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(&addr) && stderr.contains("cannot listen"),
        "{stderr}"
    );
}

#[test]
fn unreadable_certificate_files_exit_non_zero_with_one_clear_line() {
    let (success, stderr) = run_to_failure(&[
        "--listen",
        "127.0.0.1:0",
        "--tls-cert",
        "/nonexistent/cert.pem",
        "--tls-key",
        "/nonexistent/key.pem",
    ]);
    assert!(!success);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("/nonexistent/cert.pem"), "{stderr}");
}

#[tokio::test]
async fn pem_files_are_served_and_written_back_for_clients() {
    let dir = std::env::temp_dir().join(format!("vb365-mock-cert-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let (cert_path, key_path, written) = (
        dir.join("cert.pem"),
        dir.join("key.pem"),
        dir.join("written.pem"),
    );
    std::fs::write(&cert_path, certified.cert.pem()).unwrap();
    std::fs::write(&key_path, certified.key_pair.serialize_pem()).unwrap();
    let app = crate::helpers::spawn_app_with(&[
        "--tls-cert",
        cert_path.to_str().unwrap(),
        "--tls-key",
        key_path.to_str().unwrap(),
        "--write-cert",
        written.to_str().unwrap(),
    ])
    .await;
    // The helper's client trusts only what the server says it serves; that is the file given.
    assert_eq!(
        std::fs::read_to_string(&written).unwrap(),
        certified.cert.pem()
    );
    assert_eq!(app.get("/__admin/health", None).await.status(), 200);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn sigterm_shuts_the_server_down_cleanly() {
    let mut child = Command::new(BINARY)
        .args(["--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().unwrap();
    let first_line = BufReader::new(stdout).lines().next().unwrap().unwrap();
    assert!(
        first_line.contains("serving https://127.0.0.1:"),
        "{first_line}"
    );
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert!(child.wait().unwrap().success());
}
