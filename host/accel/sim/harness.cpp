// The simulation backend's native half: rtl/ibert_top under Verilator, with the board's DDR behind
// its two AXI4 masters and the AXI4-Lite master in C++, so data moves at the simulator's speed and
// Python only writes registers and waits (host/accel/sim/platform.py, through ctypes).
//
// The DDR (host/accel/sim/ddr.py states the figures and where they come from) is an AXI4 slave on each
// port (m_axi_rd on HP0, m_axi_wr on HP1), 64-bit:
//   - a read burst's first beat comes read_latency cycles after its address is taken, a write's
//     response write_latency cycles after its last beat; each port takes at most max_outstanding
//     bursts at once (arready / awready low beyond);
//   - the ports share one bandwidth: a budget of bytes_per_cycle, spent 8 bytes a beat, saved up to
//     four beats' worth (no limit when bytes_per_cycle is 0), so both ports running at once get
//     exactly bytes_per_cycle between them; when both want the last bytes they take turns;
//   - memory is the host's buffers, mapped by physical address (sim_map); a beat outside every
//     buffer answers DECERR, a beat at an address marked faulty (sim_fault) SLVERR, mid-burst as
//     on the board.
// Every call takes a cycle limit: nothing here waits without a bound.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <deque>
#include <set>
#include <vector>

#include "Vibert_top.h"
#include "verilated.h"

namespace {

struct Region {
  uint64_t addr, size;
  uint8_t* ptr;
};
struct ReadBurst {
  uint64_t addr, due;
  uint32_t beats, sent;
};
struct WriteBurst {
  uint64_t addr;
  uint32_t beats, got;
  uint8_t resp;
};
struct Response {
  uint64_t due;
  uint8_t resp;
};

enum : uint8_t { OKAY = 0, SLVERR = 2, DECERR = 3 };

struct Sim {
  VerilatedContext ctx;
  Vibert_top* top = nullptr;
  uint64_t cycles = 0;
  // the DDR
  std::vector<Region> regions;
  std::set<uint64_t> faults;  // 8-byte-aligned addresses that answer SLVERR
  double bytes_per_cycle = 0, budget = 0;
  uint32_t read_latency = 0, write_latency = 0, max_outstanding = 8;
  bool read_turn = true;  // who goes first when both ports want the last bytes
  bool hold = false;      // the memory answers nothing (a stuck interconnect)
  std::deque<ReadBurst> reads;
  std::deque<WriteBurst> writes;
  std::deque<Response> bresps;
  uint64_t read_beats = 0, write_beats = 0;
};

uint8_t* find(Sim* s, uint64_t addr, uint64_t n) {
  for (const Region& r : s->regions)
    if (r.addr <= addr && addr + n <= r.addr + r.size) return r.ptr + (addr - r.addr);
  return nullptr;
}

// One clock cycle: the slave's outputs set while the clock is low, the handshakes sampled, then the
// rising edge and the slave's state.
void tick(Sim* s) {
  Vibert_top* t = s->top;
  const bool limited = s->bytes_per_cycle > 0;
  // read data: the oldest burst, once due, while the budget has a beat
  const bool r_due = !s->hold && !s->reads.empty() && s->reads.front().due <= s->cycles;
  const bool w_want = !s->hold && !s->writes.empty();
  bool r_go = r_due, w_go = w_want;
  if (limited) {
    const bool two = s->budget >= 16, one = s->budget >= 8;
    if (r_due && w_want && !two) {
      r_go = one && s->read_turn;
      w_go = one && !s->read_turn;
    } else {
      r_go = r_due && one;
      w_go = w_want && one;
    }
  }
  uint64_t rdata = 0;
  uint8_t rresp = OKAY;
  if (r_go) {
    const ReadBurst& b = s->reads.front();
    uint64_t a = b.addr + 8ull * b.sent;
    if (uint8_t* p = find(s, a, 8)) std::memcpy(&rdata, p, 8);
    else rresp = DECERR;
    if (s->faults.count(a)) rresp = SLVERR;
  }
  t->m_axi_rd_arready = !s->hold && s->reads.size() < s->max_outstanding;
  t->m_axi_rd_rvalid = r_go;
  t->m_axi_rd_rdata = rdata;
  t->m_axi_rd_rresp = rresp;
  t->m_axi_rd_rlast = r_go && s->reads.front().sent + 1 == s->reads.front().beats;
  t->m_axi_rd_rid = 0;
  t->m_axi_wr_awready = !s->hold && s->writes.size() < s->max_outstanding;
  t->m_axi_wr_wready = w_go;
  const bool b_due = !s->hold && !s->bresps.empty() && s->bresps.front().due <= s->cycles;
  t->m_axi_wr_bvalid = b_due;
  t->m_axi_wr_bresp = b_due ? s->bresps.front().resp : 0;
  t->m_axi_wr_bid = 0;
  t->clk = 0;
  t->eval();
  const bool ar = t->m_axi_rd_arvalid && t->m_axi_rd_arready;
  const uint64_t araddr = t->m_axi_rd_araddr, arlen = t->m_axi_rd_arlen;
  const bool r = r_go && t->m_axi_rd_rready;
  const bool aw = t->m_axi_wr_awvalid && t->m_axi_wr_awready;
  const uint64_t awaddr = t->m_axi_wr_awaddr, awlen = t->m_axi_wr_awlen;
  const bool w = w_go && t->m_axi_wr_wvalid;
  const uint64_t wdata = t->m_axi_wr_wdata;
  const uint8_t wstrb = t->m_axi_wr_wstrb;
  const bool b = b_due && t->m_axi_wr_bready;
  t->clk = 1;
  t->eval();
  s->cycles++;

  // saved up to four beats: two a cycle can be spent, so a cap below two beats plus a cycle's
  // bytes would throw bandwidth away whenever both ports run (the sustained rate must be the rate)
  if (limited) s->budget = std::min(s->budget + s->bytes_per_cycle, 32.0);
  if (r) {
    ReadBurst& rb = s->reads.front();
    if (++rb.sent == rb.beats) s->reads.pop_front();
    s->read_beats++;
    if (limited) s->budget -= 8;
    s->read_turn = false;
  }
  if (w) {
    // a write beat is taken only while a burst is open: wready is low otherwise
    WriteBurst& wb = s->writes.front();
    uint64_t a = wb.addr + 8ull * wb.got;
    if (uint8_t* p = find(s, a, 8)) {
      for (int i = 0; i < 8; i++)
        if (wstrb >> i & 1) p[i] = static_cast<uint8_t>(wdata >> (8 * i));
    } else if (wstrb) {
      wb.resp = DECERR;
    }
    if (s->faults.count(a) && wb.resp == OKAY) wb.resp = SLVERR;
    if (++wb.got == wb.beats) {
      s->bresps.push_back({s->cycles + s->write_latency, wb.resp});
      s->writes.pop_front();
    }
    s->write_beats++;
    if (limited) s->budget -= 8;
    s->read_turn = true;
  }
  if (ar) s->reads.push_back({araddr, s->cycles + s->read_latency, static_cast<uint32_t>(arlen + 1), 0});
  if (aw) s->writes.push_back({awaddr, static_cast<uint32_t>(awlen + 1), 0, OKAY});
  if (b) s->bresps.pop_front();
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

// Reset for a few cycles; the bursts in flight are dropped (the board's reset of the fabric).
void sim_reset(void* p) {
  Sim* s = static_cast<Sim*>(p);
  s->reads.clear();
  s->writes.clear();
  s->bresps.clear();
  Vibert_top* t = s->top;
  t->s_axil_awvalid = t->s_axil_wvalid = t->s_axil_arvalid = 0;
  t->s_axil_bready = t->s_axil_rready = 0;
  t->rst = 1;
  for (int i = 0; i < 8; i++) tick(s);
  t->rst = 0;
  tick(s);
}

uint64_t sim_cycles(void* p) { return static_cast<Sim*>(p)->cycles; }
uint64_t sim_read_beats(void* p) { return static_cast<Sim*>(p)->read_beats; }
uint64_t sim_write_beats(void* p) { return static_cast<Sim*>(p)->write_beats; }

// The DDR's timing: bytes a cycle both ports share (0: no limit), latencies in cycles, bursts each
// port takes at once.
void sim_ddr(void* p, double bytes_per_cycle, uint32_t read_latency, uint32_t write_latency,
             uint32_t max_outstanding) {
  Sim* s = static_cast<Sim*>(p);
  s->bytes_per_cycle = bytes_per_cycle;
  s->budget = 0;
  s->read_latency = read_latency;
  s->write_latency = write_latency;
  s->max_outstanding = max_outstanding ? max_outstanding : 1;
}

// A host buffer at a physical address (its memory must live until sim_unmap).
void sim_map(void* p, uint64_t addr, uint8_t* ptr, uint64_t size) {
  static_cast<Sim*>(p)->regions.push_back({addr, size, ptr});
}

void sim_unmap(void* p, uint64_t addr) {
  std::vector<Region>& rs = static_cast<Sim*>(p)->regions;
  for (size_t i = 0; i < rs.size(); i++)
    if (rs[i].addr == addr) {
      rs.erase(rs.begin() + static_cast<long>(i));
      return;
    }
}

// Hold the memory (on: it takes and answers nothing, as a stuck interconnect) or release it.
void sim_hold(void* p, int on) { static_cast<Sim*>(p)->hold = on != 0; }

// Mark (on) or clear (off) an 8-byte word whose accesses answer SLVERR; addr ~0 clears them all.
void sim_fault(void* p, uint64_t addr, int on) {
  Sim* s = static_cast<Sim*>(p);
  if (addr == ~0ull) s->faults.clear();
  else if (on) s->faults.insert(addr & ~7ull);
  else s->faults.erase(addr & ~7ull);
}

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

// Run n cycles, the masters' memory answering as ever.
void sim_run(void* p, uint64_t n) {
  Sim* s = static_cast<Sim*>(p);
  for (uint64_t i = 0; i < n; i++) tick(s);
}

// Run until the register at `offset` has none of `mask`'s bits set (read every 64 cycles), at
// most max_cycles; returns 1 when it has none, 0 when the cycles ran out (or a read timed out).
int sim_wait_clear(void* p, uint32_t offset, uint32_t mask, uint64_t max_cycles) {
  Sim* s = static_cast<Sim*>(p);
  uint64_t until = s->cycles + max_cycles;
  uint32_t data = 0, resp = 0;
  while (true) {
    if (sim_read(p, offset, &data, &resp, 1000)) return 0;
    if (!(data & mask)) return 1;
    if (s->cycles >= until) return 0;
    for (int i = 0; i < 64; i++) tick(s);
  }
}

}  // extern "C"
