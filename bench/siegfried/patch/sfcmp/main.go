// sfcmp A.sig B.sig : compare the byte/container matchers and identifiers of two signature files.
package main

import (
	"fmt"
	"log"
	"os"

	"github.com/richardlehane/siegfried"
)

func main() {
	a, err := siegfried.Load(os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	b, err := siegfried.Load(os.Args[2])
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(siegfried.ComponentReport(a, b))
}
