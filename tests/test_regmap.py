"""The register map has one source (rtl/regs/ibert_regs.rdl): every generated view is current, and
the views agree with each other."""

import re

import pytest

pytest.importorskip("systemrdl")
from host.accel import regmap, regmap_gen  # noqa: E402
from host.accel.registers import Register  # noqa: E402


def test_generated_files_are_current(capsys):
    assert regmap_gen.main(["--check"]) == 0, capsys.readouterr().err


def test_check_names_a_stale_file(tmp_path, monkeypatch, capsys):
    """--check fails, naming the file, when a generated view differs (here: the Python map)."""
    stale = tmp_path / "host" / "regmap.py"
    stale.parent.mkdir()
    stale.write_text("# edited by hand\n")
    monkeypatch.setattr(regmap_gen, "ROOT", tmp_path)
    assert regmap_gen.main(["--check"]) == 1
    assert "host/accel/regmap.py" in capsys.readouterr().err


def test_map_is_well_formed():
    offsets = [r.offset for r in regmap.REGISTERS.values()]
    assert len(set(offsets)) == len(offsets) and all(o % 4 == 0 for o in offsets)
    for r in regmap.REGISTERS.values():
        bits = 0
        for f in r.fields:
            assert f.lsb + f.width <= 32 and not bits & f.mask, (r.name, f.name)
            bits |= f.mask


def test_sv_package_agrees_with_the_python_map():
    text = (regmap_gen.ROOT / "rtl" / "ibert_regs_pkg.sv").read_text()
    addr = {m[0]: int(m[1], 16) for m in re.findall(r"logic \[7:0\] A_(\w+) = 8'h([0-9A-F]+);", text)}
    assert addr == {n: r.offset for n, r in regmap.REGISTERS.items()}
    for n, r in regmap.REGISTERS.items():
        assert f"{n}_RESET = 32'h{r.reset:08X};" in text
        for f in r.fields:
            assert f"{n}_{f.name.upper()}_LSB = {f.lsb}, {n}_{f.name.upper()}_W = {f.width};" in text
    assert f"OP_MATMUL = 4'd{regmap.OP_MATMUL};" in text


def test_pack_checks_fields():
    op: Register = regmap.REGISTERS["OP"]
    assert op.unpack(op.pack(code=regmap.OP_MATMUL, a_unsigned=1)) == {"code": regmap.OP_MATMUL, "a_unsigned": 1}
    with pytest.raises(ValueError, match=r"OP.code: expected 0..15, got 16"):
        op.pack(code=16)
    with pytest.raises(KeyError, match="no field 'nope'"):
        op.pack(nope=1)
