#!/usr/bin/env python3
"""`torchrun` for Debian's torch 1.13 on Python 3.11, where the stock launcher fails before
starting any worker (AttributeError: 'NoneType' object has no attribute 'get'): its
Std.from_str finds no flag for "0" because Python 3.11 no longer iterates a Flag's zero
member. This maps the number itself and runs torch.distributed.run unchanged; with a
torch that has the fix it changes nothing. Same arguments as torchrun:

  /usr/bin/python3 scripts/torch/torchrun.py --standalone --nproc_per_node 2 scripts/torch/train_ddp.py ...
"""
import re

from torch.distributed.elastic.multiprocessing import api
from torch.distributed import run

_from_str = api.Std.from_str


def _fixed(vm):
    if re.match(r"^(\d:[0123],)*(\d:[0123])$", vm):
        return {int(i): api.Std(int(v)) for i, v in (m.split(":") for m in vm.split(","))}
    return api.Std(int(vm)) if re.match(r"^[0123]$", vm) else _from_str(vm)


api.Std.from_str = staticmethod(_fixed)

if __name__ == "__main__":
    run.main()
