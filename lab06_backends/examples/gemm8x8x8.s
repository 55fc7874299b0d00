config dataflow=ws, dtype=int8
load wb[1], dram[0x40], rows=8, cols=8, stride=8
load ub[0], dram[0x0], rows=8, cols=8, stride=8, push_next
loadw wb[1], rows=8, cols=8, stride=8, pop_prev
matmul acc[0], ub[0], rows=8, stride=8, swap
act ub[64], acc[0], rows=8, cols=8, stride=8, shift=7, push_next
store dram[0x80], ub[64], rows=8, cols=8, stride=8, pop_prev, push_prev
sync queue=execute, pop_next, push_prev
sync queue=load, pop_next
halt
