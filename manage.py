#!/usr/bin/env python
from homeroom.cli import main

if __name__ == "__main__":
    main()
