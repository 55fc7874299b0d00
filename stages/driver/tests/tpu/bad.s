config dataflow=ws, dtype=int8
load ub[0], dram[0x0], rows=70000, cols=4, stride=4
matmul acc[0], ub[0], rows=4
halt
