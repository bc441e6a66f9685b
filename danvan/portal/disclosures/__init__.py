"""What units disclosed to citizens ("dân biết", Law 10/2022/QH15, Điều 11–13) on the
portal: only the disclosures marked public. The records are danvan.disclosure's."""
