# Default build parameters of vivado/build.tcl (override any with -tclargs -<name> <value>).
# bench/fit_xc7z020.py reads this same list, so the yosys estimate covers what Vivado builds.
set defaults {
    part      xc7z020clg400-1
    clock_mhz 100
    n1        12
    n2        14
    max_m     128
    max_k     3072
    max_n     3072
    jobs      2
    board_repo ""
    out       ""
    build     ""
}
