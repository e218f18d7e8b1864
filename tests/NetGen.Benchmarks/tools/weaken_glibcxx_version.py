#!/usr/bin/env python3
"""Marks one symbol-version requirement of an ELF64 shared library as weak, in place.

Why: TorchSharp 0.107's libLibTorchSharp.so was linked with GCC 13 and lists GLIBCXX_3.4.32 among the versions it
needs from libstdc++.so.6. Debian 12's libstdc++ stops at GLIBCXX_3.4.30, so the dynamic loader refuses the library
("version `GLIBCXX_3.4.32' not found"). The only symbol of that version the library names is
std::ios_base_library_init(), which GCC 13's <iostream> references only to pin the libstdc++ version: no relocation
uses it, nothing calls it. Setting VER_FLG_WEAK (0x2) in vna_flags of that Elf64_Vernaux entry of .gnu.version_r makes
glibc's loader accept a libstdc++ that lacks the version (it checks weak requirements without failing).

Usage: weaken_glibcxx_version.py LIBRARY [VERSION]   (VERSION defaults to GLIBCXX_3.4.32)

The file is rewritten through a temporary copy and a rename, so a hard link to it (for example into the NuGet cache)
is never modified. Running it again on a patched file changes nothing. Exit code 0 when the requirement is weak
(now or already) or absent; 1 on a malformed file.
"""

import os
import struct
import sys
import tempfile

SHT_GNU_VERNEED = 0x6FFFFFFE
VER_FLG_WEAK = 0x2


def find_vernaux(data: bytes, version: bytes):
    """Yields (offset of vna_flags, flags, required file name) for each Vernaux entry named `version`."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError("not a little-endian ELF64 file")
    e_shoff, = struct.unpack_from("<Q", data, 0x28)
    e_shentsize, e_shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = []
    for i in range(e_shnum):
        # sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size, sh_link, sh_info, sh_addralign, sh_entsize
        sections.append(struct.unpack_from("<IIQQQQIIQQ", data, e_shoff + i * e_shentsize))
    for section in sections:
        if section[1] != SHT_GNU_VERNEED:
            continue
        strtab_offset = sections[section[6]][4]
        verneed_count = section[7]

        def string_at(index):
            end = data.index(b"\0", strtab_offset + index)
            return data[strtab_offset + index:end]

        offset = section[4]
        for _ in range(verneed_count):
            # Elf64_Verneed: vn_version, vn_cnt, vn_file, vn_aux, vn_next
            _, vn_cnt, vn_file, vn_aux, vn_next = struct.unpack_from("<HHIII", data, offset)
            aux = offset + vn_aux
            for _ in range(vn_cnt):
                # Elf64_Vernaux: vna_hash, vna_flags, vna_other, vna_name, vna_next
                _, vna_flags, _, vna_name, vna_next = struct.unpack_from("<IHHII", data, aux)
                if string_at(vna_name) == version:
                    yield aux + 4, vna_flags, string_at(vn_file)
                if vna_next == 0:
                    break
                aux += vna_next
            if vn_next == 0:
                break
            offset += vn_next


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        print(f"usage: {argv[0]} LIBRARY [VERSION]", file=sys.stderr)
        return 2
    path = argv[1]
    version = (argv[2] if len(argv) == 3 else "GLIBCXX_3.4.32").encode()
    with open(path, "rb") as f:
        data = bytearray(f.read())
    try:
        entries = list(find_vernaux(data, version))
    except (ValueError, struct.error, IndexError) as e:
        print(f"weaken_glibcxx_version: {path}: {e}", file=sys.stderr)
        return 1
    if not entries:
        print(f"weaken_glibcxx_version: {path} does not require {version.decode()}; nothing to do")
        return 0
    changed = False
    for flags_offset, flags, needed_file in entries:
        if flags & VER_FLG_WEAK:
            print(f"weaken_glibcxx_version: {path}: {version.decode()} from {needed_file.decode()} is already weak")
            continue
        struct.pack_into("<H", data, flags_offset, flags | VER_FLG_WEAK)
        changed = True
        print(f"weaken_glibcxx_version: {path}: marked {version.decode()} from {needed_file.decode()} weak")
    if changed:
        directory = os.path.dirname(os.path.abspath(path))
        mode = os.stat(path).st_mode
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=".weaken-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.chmod(temporary, mode)
            os.replace(temporary, path)  # a new inode: a hard-linked original is left alone
        except BaseException:
            os.unlink(temporary)
            raise
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
