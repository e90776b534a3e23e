// The simulation backend's native half: rtl/ibert_top under Verilator, with the stream ends of the
// AXI DMA's two channels and the AXI4-Lite master in C++, so data moves at the simulator's speed
// and Python only starts transfers and reads registers (host/sim/platform.py, through ctypes; the
// DMA's registers are modelled there, host/sim/axi_dma.py, which starts and stops these ends).
//
// Every clock edge services the pending stream transfers: the send channel offers its buffer's
// beats (tlast on the last) and the receive channel takes beats into its buffer until tlast, as
// the AXI DMA's MM2S and S2MM channels do; register accesses advance the clock too, so transfers
// progress beside them. Nothing here waits without a bound: every call takes a cycle limit.
#include <cstdint>
#include <cstring>

#include "Vibert_top.h"
#include "verilated.h"

namespace {

struct Sim {
  VerilatedContext ctx;
  Vibert_top* top = nullptr;
  uint64_t cycles = 0;
  // send channel (MM2S)
  const uint64_t* send_buf = nullptr;
  uint64_t send_len = 0, send_pos = 0;
  // receive channel (S2MM)
  uint64_t* recv_buf = nullptr;
  uint64_t recv_cap = 0, recv_pos = 0;
  bool recv_busy = false, recv_overflow = false;
};

// One clock cycle: inputs set while the clock is low, outputs sampled, then the rising edge.
void tick(Sim* s) {
  Vibert_top* t = s->top;
  bool sending = s->send_pos < s->send_len;
  t->s_axis_tvalid = sending;
  t->s_axis_tdata = sending ? s->send_buf[s->send_pos] : 0;
  t->s_axis_tlast = sending && s->send_pos + 1 == s->send_len;
  t->m_axis_tready = s->recv_busy;
  t->clk = 0;
  t->eval();
  bool in_beat = sending && t->s_axis_tready;
  bool out_beat = s->recv_busy && t->m_axis_tvalid;
  uint64_t out_data = t->m_axis_tdata;
  bool out_last = t->m_axis_tlast;
  t->clk = 1;
  t->eval();
  s->cycles++;
  if (in_beat) s->send_pos++;
  if (out_beat) {
    if (s->recv_pos < s->recv_cap) s->recv_buf[s->recv_pos] = out_data;
    else s->recv_overflow = true;
    s->recv_pos++;
    if (out_last) s->recv_busy = false;
  }
}

}  // namespace

extern "C" {

void* sim_new() {
  Sim* s = new Sim();
  s->top = new Vibert_top(&s->ctx);
  return s;
}

void sim_free(void* p) {
  Sim* s = static_cast<Sim*>(p);
  s->top->final();
  delete s->top;
  delete s;
}

// Reset for a few cycles; pending transfers are dropped.
void sim_reset(void* p) {
  Sim* s = static_cast<Sim*>(p);
  s->send_len = s->send_pos = 0;
  s->recv_busy = false;
  Vibert_top* t = s->top;
  t->s_axil_awvalid = t->s_axil_wvalid = t->s_axil_arvalid = 0;
  t->s_axil_bready = t->s_axil_rready = 0;
  t->rst = 1;
  for (int i = 0; i < 8; i++) tick(s);
  t->rst = 0;
  tick(s);
}

uint64_t sim_cycles(void* p) { return static_cast<Sim*>(p)->cycles; }

// AXI4-Lite write of all four bytes; 0 when the response came (its bresp in *resp), 1 on timeout.
int sim_write(void* p, uint32_t addr, uint32_t data, uint32_t* resp, uint64_t max_cycles) {
  Sim* s = static_cast<Sim*>(p);
  Vibert_top* t = s->top;
  bool aw = false, w = false;
  t->s_axil_awaddr = addr;
  t->s_axil_wdata = data;
  t->s_axil_wstrb = 0xF;
  t->s_axil_bready = 1;
  for (uint64_t i = 0; i < max_cycles; i++) {
    t->s_axil_awvalid = !aw;
    t->s_axil_wvalid = !w;
    t->clk = 0;
    t->eval();
    bool aw_hs = !aw && t->s_axil_awready, w_hs = !w && t->s_axil_wready;
    bool b_hs = aw && w && t->s_axil_bvalid;
    *resp = t->s_axil_bresp;
    tick(s);
    aw |= aw_hs;
    w |= w_hs;
    if (b_hs) {
      t->s_axil_awvalid = t->s_axil_wvalid = t->s_axil_bready = 0;
      return 0;
    }
  }
  t->s_axil_awvalid = t->s_axil_wvalid = t->s_axil_bready = 0;
  return 1;
}

// AXI4-Lite read; 0 with the data in *data (rresp in *resp), 1 on timeout.
int sim_read(void* p, uint32_t addr, uint32_t* data, uint32_t* resp, uint64_t max_cycles) {
  Sim* s = static_cast<Sim*>(p);
  Vibert_top* t = s->top;
  bool ar = false;
  t->s_axil_araddr = addr;
  t->s_axil_rready = 1;
  for (uint64_t i = 0; i < max_cycles; i++) {
    t->s_axil_arvalid = !ar;
    t->clk = 0;
    t->eval();
    bool ar_hs = !ar && t->s_axil_arready;
    bool r_hs = ar && t->s_axil_rvalid;
    *data = t->s_axil_rdata;
    *resp = t->s_axil_rresp;
    tick(s);
    ar |= ar_hs;
    if (r_hs) {
      t->s_axil_arvalid = t->s_axil_rready = 0;
      return 0;
    }
  }
  t->s_axil_arvalid = t->s_axil_rready = 0;
  return 1;
}

// Start the send channel on n beats (the buffer must live until the channel is idle).
void sim_send(void* p, const uint64_t* buf, uint64_t n) {
  Sim* s = static_cast<Sim*>(p);
  s->send_buf = buf;
  s->send_len = n;
  s->send_pos = 0;
}

// Start the receive channel on a buffer of cap beats.
void sim_recv(void* p, uint64_t* buf, uint64_t cap) {
  Sim* s = static_cast<Sim*>(p);
  s->recv_buf = buf;
  s->recv_cap = cap;
  s->recv_pos = 0;
  s->recv_overflow = false;
  s->recv_busy = true;
}

// Drop the channel's transfer (0 send, 1 receive), as the DMA's reset or run/stop bit does: the
// send channel offers no more beats (the packet ends without tlast), the receive channel takes none.
void sim_stop(void* p, int channel) {
  Sim* s = static_cast<Sim*>(p);
  if (channel == 0) s->send_len = s->send_pos = 0;
  else s->recv_busy = false;
}

int sim_send_idle(void* p) {
  Sim* s = static_cast<Sim*>(p);
  return s->send_pos >= s->send_len;
}

int sim_recv_idle(void* p) { return !static_cast<Sim*>(p)->recv_busy; }

// Beats received by the last receive transfer, and whether the packet overran the buffer.
uint64_t sim_recv_count(void* p) { return static_cast<Sim*>(p)->recv_pos; }
int sim_recv_overflow(void* p) { return static_cast<Sim*>(p)->recv_overflow; }

// Run up to max_cycles, stopping early once the channel (0 send, 1 receive) is idle; returns
// whether it is.
int sim_run(void* p, int channel, uint64_t max_cycles) {
  Sim* s = static_cast<Sim*>(p);
  for (uint64_t i = 0; i < max_cycles; i++) {
    if (channel == 0 ? sim_send_idle(p) : sim_recv_idle(p)) return 1;
    tick(s);
  }
  return channel == 0 ? sim_send_idle(p) : sim_recv_idle(p);
}

}  // extern "C"
