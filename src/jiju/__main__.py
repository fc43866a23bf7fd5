from jiju.cli import main

main()
