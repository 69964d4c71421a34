fn main() {
    print!("{}", rec_core::crd::crd_yaml());
}
