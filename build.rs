//! Rebuild when migrations or templates change (both are embedded in the binary).
fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=templates");
}
